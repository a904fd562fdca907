import type { D1Database, ExecutionContext, ScheduledController } from '@cloudflare/workers-types/latest/index.js';
import { composeBridge } from '../compose.js';
import { ConfigError, parseConfig, type Config } from '../config.js';
import type { Store } from '../db/store.js';
import { isRetentionRun, runRetention } from '../db/scrub.js';
import { createLogger, type Logger } from '../logger.js';
import { createMetrics, type Metrics } from '../metrics.js';
import { createD1Store, d1Database } from './d1-store.js';
import { opsQueries, type OpsQueries } from '../ops/queries.js';

/** The Worker's bindings: the D1 database plus the string vars and secrets of DESIGN.md's contract. */
export interface WorkerEnv {
  DB: D1Database;
  [name: string]: unknown;
}

/** How long one Cron run keeps claiming rows before it leaves the rest to the next run. */
const SWEEP_BUDGET_MS = 25_000;

interface IsolateParts {
  env: WorkerEnv;
  config: Config;
  store: Store;
  queries: OpsQueries;
  logger: Logger;
  metrics: Metrics;
}

let cached: IsolateParts | null = null;

/**
 * Config, store, logger and metrics hold no request-bound I/O, so one set serves the whole isolate
 * (config is parsed once, metrics accumulate). A new env object (new deploy or secret) rebuilds it.
 */
function isolateParts(env: WorkerEnv): IsolateParts {
  if (cached?.env === env) return cached;
  const vars = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  const config = parseConfig(vars);
  const logger = createLogger(config.LOG_LEVEL, (line) => console.log(line), config.LOG_FORMAT);
  cached = { env, config, store: createD1Store(env.DB), queries: opsQueries(d1Database(env.DB)), logger, metrics: createMetrics() };
  return cached;
}

/**
 * The dispatcher keeps promises, timers and a pause flag, and Workers do not let one request wait
 * on I/O started by another: so the app and dispatcher are composed per invocation (cheap: no I/O).
 */
function compose(parts: IsolateParts) {
  return composeBridge({
    ...parts,
    startDelivery: (c, drain) => c.executionCtx.waitUntil(drain().catch((error: Error) => parts.logger.error({ error: error.message }, 'delivery after ack failed'))),
  });
}

/** A bad variable or secret answers 500 with the one-line reason; the provider retries after the fix. */
function configErrorResponse(error: ConfigError): Response {
  console.error(`dub-bridge: ${error.message}`);
  return Response.json({ error: { code: 'internal_error', message: error.message } }, { status: 500 });
}

/** Cron sweeper: due retries and expired leases, bounded by SWEEP_BUDGET_MS; then, hourly, retention. */
async function sweep(parts: IsolateParts): Promise<void> {
  const { dispatcher } = compose(parts);
  // Decided at the start: a long drain must not push the hourly run past its minute.
  const retentionRun = isRetentionRun(Date.now());
  const budget = setTimeout(() => void dispatcher.stop(parts.config.DUB_TIMEOUT_MS), SWEEP_BUDGET_MS);
  try {
    const report = await dispatcher.drain();
    // Rows claimed but not started when the budget ran out: back to the queue for the next sweep.
    await dispatcher.releaseUnfinished();
    if (report.attempted > 0) parts.logger.info({ ...report }, 'sweep delivered');
    // Same retention as on Node, once an hour (this Cron runs every minute), in bounded batches
    // that stay within a Worker's D1 query budget; what is left waits for the next hour.
    if (retentionRun) {
      const { RETENTION_DAYS: retentionDays, ROW_RETENTION_DAYS: rowRetentionDays } = parts.config;
      const retention = await runRetention(parts.store, { retentionDays, rowRetentionDays, now: Date.now(), batchSize: 1_000, maxBatches: 5 });
      const changed = retention.payloads + retention.commands + retention.deletedInbox + retention.deletedOutbox;
      if (changed > 0) parts.logger.info({ ...retention, retentionDays, rowRetentionDays }, 'retention applied');
    }
  } finally {
    clearTimeout(budget);
  }
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    let parts: IsolateParts;
    try {
      parts = isolateParts(env);
    } catch (error) {
      if (error instanceof ConfigError) return configErrorResponse(error);
      throw error;
    }
    return compose(parts).app.fetch(request, env, ctx);
  },

  async scheduled(_controller: ScheduledController, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    const parts = isolateParts(env);
    ctx.waitUntil(sweep(parts).catch((error: Error) => parts.logger.error({ error: error.message }, 'sweep failed')));
  },
};
