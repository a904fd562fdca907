import type { Context } from 'hono';
import { createApp } from './app.js';
import { readRequestBody, type BodyReader } from './handlers/body.js';
import type { Config } from './config.js';
import type { OutboxRow } from './db/schema.js';
import type { Store } from './db/store.js';
import { createDubClient } from './dub/client.js';
import { fetchTransport, type HttpTransport } from './dub/transport.js';
import { maskSecrets, type Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createDispatcher } from './pipeline/dispatcher.js';
import { executeCommand } from './pipeline/execute.js';
import { createStripeInvoiceLookup } from './pipeline/stripe-invoice-lookup.js';
import { done, failed, type DeliveryOutcome } from './pipeline/outcome.js';
import { createDubClients } from './tenants/dub-clients.js';
import { tenantsOf } from './tenants/route.js';
import type { StripeCryptoProvider } from './verify/stripe.js';

export interface BridgeDeps {
  config: Config;
  store: Store;
  logger: Logger;
  /** Stripe API calls (refund lookups). */
  fetch?: typeof fetch;
  /** Dub calls; `fetch` when absent. */
  dubTransport?: HttpTransport;
  /** How webhook bodies are read; from the Fetch API Request when absent. */
  readBody?: BodyReader;
  /** Stripe signature HMACs; SubtleCrypto when absent. */
  stripeCrypto?: StripeCryptoProvider;
  now?: () => number;
  metrics?: Metrics;
  /** How delivery is started after an ack: in-process on Node, `waitUntil` on Workers. */
  startDelivery: (c: Context, drain: () => Promise<unknown>) => void;
}

/** Every configured secret and key, masked in logs even where no known prefix gives it away. */
function configuredSecrets(config: Config): string[] {
  const fromTenants = tenantsOf(config).flatMap((t) => [t.dubApiKey, ...(t.shopify?.apiSecret ?? []), ...(t.stripe?.webhookSecret ?? [])]);
  const fromEnv = [config.DUB_API_KEY, config.STRIPE_API_KEY, ...config.STRIPE_WEBHOOK_SECRET, ...config.SHOPIFY_API_SECRET];
  return [...fromEnv.filter((s): s is string => Boolean(s)), ...fromTenants];
}

/**
 * Wires the runtime-neutral bridge: Dub clients (one per tenant's key; dry run without
 * DUB_API_KEY), dispatcher and HTTP app. Node and Workers entries only add their storage driver,
 * server and timers.
 */
export function composeBridge(deps: BridgeDeps) {
  const { config, store } = deps;
  const logger = maskSecrets(deps.logger, configuredSecrets(config));
  const now = deps.now ?? Date.now;
  const metrics = deps.metrics ?? createMetrics();
  const clients = createDubClients(config, (apiKey) =>
    createDubClient({
      apiUrl: config.DUB_API_URL,
      apiKey,
      timeoutMs: config.DUB_TIMEOUT_MS,
      ...(deps.dubTransport ? { transport: deps.dubTransport } : deps.fetch ? { transport: fetchTransport(deps.fetch) } : {}),
      now,
    }),
  );

  // Refunds on Stripe API 2025-03-31+ may need to ask Stripe which invoice a payment paid.
  const findInvoiceForPayment = config.STRIPE_API_KEY
    ? createStripeInvoiceLookup({
        apiKey: config.STRIPE_API_KEY,
        apiBase: config.STRIPE_API_BASE,
        timeoutMs: config.DUB_TIMEOUT_MS,
        fetch: deps.fetch,
      })
    : undefined;

  const execute = async (row: OutboxRow): Promise<DeliveryOutcome> => {
    const client = clients.forTenant(row.tenant);
    if (client === undefined) {
      return failed({ kind: 'invalid', message: `tenant ${row.tenant} is not in TENANTS_FILE: add it back, then replay this dead letter` });
    }
    if (!client) {
      logger.info({ outboxId: row.id, kind: row.kind, dryRun: true }, 'dry run (DUB_API_KEY not set): command recorded, not sent');
      return done('skipped', JSON.stringify({ dryRun: true }));
    }
    return executeCommand(row, { client, store, now, findInvoiceForPayment });
  };

  const dispatcher = createDispatcher({
    store,
    execute,
    policy: {
      maxAttempts: config.DELIVERY_MAX_ATTEMPTS,
      baseBackoffMs: config.DELIVERY_BASE_BACKOFF_MS,
      maxBackoffMs: config.DELIVERY_MAX_BACKOFF_MS,
    },
    concurrency: config.DELIVERY_CONCURRENCY,
    ratePerMinute: config.DUB_RATE_LIMIT_PER_MINUTE,
    leaseMs: config.LEASE_MS,
    pauseProbeMs: config.DELIVERY_PAUSE_PROBE_MS,
    logger,
    metrics,
    now,
  });

  const readBody = deps.readBody ?? readRequestBody;
  const app = createApp({
    config,
    store,
    logger,
    metrics,
    now,
    provisionalHoldMs: config.PROVISIONAL_SALE_HOLD_MS,
    dispatcherStatus: dispatcher.status,
    ...(deps.stripeCrypto ? { stripeCrypto: deps.stripeCrypto } : {}),
    readBody: (c) => readBody(c, config.MAX_BODY_BYTES),
    afterAck: (c, result) => {
      if (!result.duplicate && result.queued > 0) deps.startDelivery(c, dispatcher.drain);
    },
  });

  return { app, dispatcher, metrics, client: clients.fallback };
}
