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
import type { ConsoleDeps } from './console/index.js';
import type { OpsQueries } from './ops/queries.js';
import { replay } from './ops/replay.js';
import { createDispatcher, type DispatcherOptions, type DispatcherStatus } from './deliver/dispatcher.js';
import { executeCommand } from './deliver/execute.js';
import type { KeyGates } from './deliver/key-gates.js';
import { createMapper } from './ingest/map-received.js';
import { done, failed, type DeliveryOutcome } from './deliver/outcome.js';
import { createDubClients } from './tenants/dub-clients.js';
import { providers as registry } from './handlers/index.js';
import type { ProviderDefinition } from './handlers/provider.js';
import { tenantProvider } from './tenants/file.js';
import { tenantsOf } from './tenants/route.js';

export interface BridgeDeps {
  config: Config;
  store: Store;
  logger: Logger;
  /** Provider API calls (Stripe's refund lookups); Dub calls too when `dubTransport` is absent. */
  fetch?: typeof fetch;
  /** The payment processors served; the registry when absent (tests add their own). */
  providers?: readonly ProviderDefinition[];
  /** Dub calls; `fetch` when absent. */
  dubTransport?: HttpTransport;
  /** How webhook bodies are read; from the Fetch API Request when absent. */
  readBody?: BodyReader;
  now?: () => number;
  metrics?: Metrics;
  /** Read queries over the database (the console's); the console is mounted when CONSOLE_TOKEN is set and these are given. */
  queries?: OpsQueries;
  /**
   * How delivery is started after an ack (`event`: the webhook's inbox row) or a console replay:
   * in-process on Node, `waitUntil` or the delivery queue on Workers.
   */
  startDelivery: (c: Context, drain: () => Promise<unknown>, event?: { inboxId: number }) => void;
  /** Per-Dub-key rate limit and pause; in this process when absent. Workers share them through a Durable Object. */
  keyGates?: KeyGates;
  /** What /healthz and the console say about delivery; the dispatcher's own status when absent. */
  deliveryStatus?: () => DispatcherStatus;
}

/** What a runtime may set on one delivery run: which rows it claims, and its gates. */
export type DeliveryOverrides = Pick<Partial<DispatcherOptions>, 'claim' | 'gates'> & {
  /** Map only this event before claiming (a Worker request's own), not the whole backlog. */
  onlyInboxId?: number;
};

/** Every configured secret and key, masked in logs even where no known prefix gives it away. */
function configuredSecrets(config: Config, providers: readonly ProviderDefinition[]): string[] {
  const fromTenants = tenantsOf(config).flatMap((t) => [t.dubApiKey, ...providers.flatMap((p) => tenantProvider(t, p)?.secrets ?? [])]);
  const fromProviders = providers.flatMap((p) => {
    const { secrets = [], settings = {} } = config.providers[p.source] ?? {};
    // Settings named like credentials (STRIPE_API_KEY) are secrets too.
    const keys = Object.entries(settings).filter(([name, value]) => /KEY|TOKEN|SECRET|AUTH/.test(name) && typeof value === 'string');
    return [...secrets, ...keys.map(([, value]) => value as string)];
  });
  const tokens = [config.DUB_API_KEY, config.METRICS_TOKEN, config.CONSOLE_TOKEN].filter((s): s is string => Boolean(s));
  return [...tokens, ...fromProviders, ...fromTenants];
}

/** What a dry-run command would have sent, for the log: amounts and ids, no names or emails. */
function dryRunSummary(command: string): Record<string, unknown> {
  const parsed = JSON.parse(command) as { body?: Record<string, unknown>; externalId?: string };
  const body = parsed.body ?? {};
  const fields: Record<string, unknown> = {};
  for (const key of ['eventName', 'amount', 'currency', 'invoiceId', 'paymentProcessor', 'clickId', 'customerExternalId']) {
    if (body[key] !== undefined) fields[key] = body[key];
  }
  if (parsed.externalId) fields.customerExternalId = parsed.externalId;
  return fields;
}

/**
 * Wires the runtime-neutral bridge: Dub clients (one per tenant's key; dry run without
 * DUB_API_KEY), dispatcher and HTTP app. Node and Workers entries only add their storage driver,
 * server and timers.
 */
export function composeBridge(deps: BridgeDeps) {
  const { config, store } = deps;
  const providers = deps.providers ?? registry;
  const logger = maskSecrets(deps.logger, configuredSecrets(config, providers));
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

  // A refund whose references find no sale may ask its provider's API (Stripe API 2025-03-31+).
  const saleLookups = new Map(
    providers.flatMap((p) => {
      const lookup = p.createSaleLookup?.(config.providers[p.source]?.settings ?? {}, { fetch: deps.fetch, timeoutMs: config.DUB_TIMEOUT_MS });
      return lookup ? [[p.source, lookup] as const] : [];
    }),
  );

  // Names one dispatcher to the refund ledger: it may settle its own unfinished refunds at once.
  const executeAs =
    (runnerId: string) =>
    async (row: OutboxRow): Promise<DeliveryOutcome> => {
      const client = clients.forTenant(row.tenant);
      if (client === undefined) {
        return failed({ kind: 'invalid', message: `tenant ${row.tenant} is not in TENANTS_FILE: add it back, then replay this dead letter` });
      }
      if (!client) {
        // Only reached with DRY_RUN=1: without it, rows of a missing key are never claimed.
        logger.info(
          Object.assign({ outboxId: row.id, kind: row.kind, dryRun: true }, dryRunSummary(row.command)),
          'DRY RUN: would send this to Dub (replay it once DUB_API_KEY is set)',
        );
        return done('dry_run', JSON.stringify({ dryRun: true }));
      }
      return executeCommand(row, {
        client,
        store,
        now,
        tenant: row.tenant,
        findInvoiceForPayment: saleLookups.get(row.source),
        saleLookupHint: providers.find((p) => p.source === row.source)?.saleLookupHint,
        runnerId,
        refundLeaseMs: config.LEASE_MS,
      });
    };

  // One mapper and dispatcher per call, each with its own runner id: Node makes one; a Worker makes
  // one per invocation (a promise or timer must not cross requests) with its own claim and gates.
  const newDelivery = ({ onlyInboxId, ...overrides }: DeliveryOverrides = {}) => {
    // Record first: webhooks are stored raw and mapped here, before each claim of due rows.
    const mapper = createMapper({ store, providers, config, logger, metrics, now });
    const beforeClaim = onlyInboxId === undefined ? mapper.mapBacklog : () => mapper.mapInboxRow(onlyInboxId);
    const dispatcher = createDispatcher({
      store,
      execute: executeAs(crypto.randomUUID()),
      beforeClaim,
      policy: {
        maxAttempts: config.DELIVERY_MAX_ATTEMPTS,
        baseBackoffMs: config.DELIVERY_BASE_BACKOFF_MS,
        maxBackoffMs: config.DELIVERY_MAX_BACKOFF_MS,
      },
      concurrency: config.DELIVERY_CONCURRENCY,
      ratePerMinute: config.DUB_RATE_LIMIT_PER_MINUTE,
      leaseMs: config.LEASE_MS,
      pauseProbeMs: config.DELIVERY_PAUSE_PROBE_MS,
      // No DUB_API_KEY and no DRY_RUN=1: real work waits for the key instead of being finalised.
      withoutKey: config.DUB_API_KEY || config.DRY_RUN ? [] : [null],
      logger,
      metrics,
      now,
      gates: deps.keyGates,
      ...overrides,
    });
    return { mapper, dispatcher };
  };
  const { mapper, dispatcher } = newDelivery();

  const readBody = deps.readBody ?? readRequestBody;
  // The console's replay starts delivery at once (on Workers through the request's waitUntil).
  const consoleParts = deps.queries
    ? {
        queries: deps.queries,
        deliveryMode: config.DUB_API_KEY ? ('live' as const) : ('dry_run' as const),
        replay: async (...[selector, options, c]: Parameters<ConsoleDeps['replay']>) => {
          const report = await replay(selector, options, { store, config, now, providers });
          if (report.requeued + report.added > 0) deps.startDelivery(c, dispatcher.drain);
          return report;
        },
      }
    : undefined;
  const app = createApp({
    config,
    store,
    logger,
    metrics,
    now,
    dispatcherStatus: deps.deliveryStatus ?? dispatcher.status,
    providers,
    console: consoleParts,
    deliveryMode: () => (config.DUB_API_KEY ? 'live' : config.DRY_RUN ? 'dry_run' : 'no_api_key'),
    readBody: (c) => readBody(c, config.MAX_BODY_BYTES),
    afterAck: (c, result) => {
      if (!result.duplicate) deps.startDelivery(c, dispatcher.drain, { inboxId: result.inboxId });
    },
  });

  return { app, dispatcher, mapper, newDelivery, metrics, client: clients.fallback };
}
