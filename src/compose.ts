import type { Context } from 'hono';
import { createApp } from './app.js';
import type { Config } from './config.js';
import type { OutboxRow } from './db/schema.js';
import type { Store } from './db/store.js';
import { createDubClient } from './dub/client.js';
import type { Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createDispatcher } from './pipeline/dispatcher.js';
import { executeCommand } from './pipeline/execute.js';
import { done, type DeliveryOutcome } from './pipeline/outcome.js';

export interface BridgeDeps {
  config: Config;
  store: Store;
  logger: Logger;
  fetch?: typeof fetch;
  now?: () => number;
  metrics?: Metrics;
  /** How delivery is started after an ack: in-process on Node, `waitUntil` on Workers. */
  startDelivery: (c: Context, drain: () => Promise<unknown>) => void;
}

/**
 * Wires the runtime-neutral bridge: Dub client (or dry run without a key), dispatcher and HTTP
 * app. Node and Workers entries only add their storage driver, server and timers.
 */
export function composeBridge(deps: BridgeDeps) {
  const { config, store, logger } = deps;
  const now = deps.now ?? Date.now;
  const metrics = deps.metrics ?? createMetrics();
  const client = config.DUB_API_KEY
    ? createDubClient({
        apiUrl: config.DUB_API_URL,
        apiKey: config.DUB_API_KEY,
        timeoutMs: config.DUB_TIMEOUT_MS,
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
        now,
      })
    : null;

  const execute = async (row: OutboxRow): Promise<DeliveryOutcome> => {
    if (!client) {
      logger.info({ outboxId: row.id, kind: row.kind, dryRun: true }, 'dry run (DUB_API_KEY not set): command recorded, not sent');
      return done('skipped', JSON.stringify({ dryRun: true }));
    }
    return executeCommand(row.command, { client, store });
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
    logger,
    metrics,
    now,
  });

  const app = createApp({
    config,
    store,
    logger,
    metrics,
    now,
    testEvents: config.TEST_EVENTS,
    dispatcherStatus: dispatcher.status,
    afterAck: (c, result) => {
      if (!result.duplicate && result.queued > 0) deps.startDelivery(c, dispatcher.drain);
    },
  });

  return { app, dispatcher, metrics, client };
}
