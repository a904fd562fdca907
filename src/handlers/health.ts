import { Hono, type Context } from 'hono';
import type { Config } from '../config.js';
import type { OutboxStats, Store } from '../db/store.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { DispatcherStatus } from '../deliver/dispatcher.js';

/** Whether acknowledged work reaches Dub: `live`, `dry_run` (DRY_RUN=1), or `no_api_key` (kept pending). */
export type DeliveryMode = 'live' | 'dry_run' | 'no_api_key';

export interface HealthDeps {
  store: Pick<Store, 'ping' | 'stats'>;
  metrics: Metrics;
  now: () => number;
  dispatcherStatus: () => DispatcherStatus;
  config: Pick<Config, 'METRICS_TOKEN'>;
  /** Where database errors go: never into a public body. */
  logger?: Logger;
  /** `live` when absent. */
  deliveryMode?: () => DeliveryMode;
  /** How long outbox counts are reused (default 5 s): a scrape or probe never costs a table scan. */
  statsMaxAgeMs?: number;
}

interface StatsCache {
  value: OutboxStats | null;
  at: number;
  pending: Promise<OutboxStats> | null;
}

// Per store, not per app: on Workers the app is composed per request, the store per isolate.
const caches = new WeakMap<object, StatsCache>();

/**
 * The outbox counts, computed at most once per `maxAgeMs` per store however many callers ask
 * (one query in flight, shared). Use for anything public or polled: /healthz, /metrics, consoles.
 */
export async function cachedStats(store: Pick<Store, 'stats'>, now: () => number, maxAgeMs = 5_000): Promise<OutboxStats> {
  let cache = caches.get(store);
  if (!cache) caches.set(store, (cache = { value: null, at: 0, pending: null }));
  if (cache.value && now() - cache.at < maxAgeMs) return cache.value;
  const entry = cache;
  entry.pending ??= store
    .stats()
    .then((value) => {
      entry.value = value;
      entry.at = now();
      return value;
    })
    .finally(() => (entry.pending = null));
  return entry.pending;
}

/** A comparison whose time does not depend on where the strings differ. */
function sameToken(given: string, expected: string): boolean {
  let difference = given.length ^ expected.length;
  for (let i = 0; i < expected.length; i++) difference |= expected.charCodeAt(i) ^ (i < given.length ? given.charCodeAt(i) : 0);
  return difference === 0;
}

const PAUSED = 'Dub refuses an API key (401/403): delivery is paused and commands stay pending; the logs and `dub-bridge doctor` say which key';
const NO_KEY = 'DUB_API_KEY is not set: commands stay pending until it is (or set DRY_RUN=1 on purpose)';

/**
 * `GET /healthz`: 200 while the database answers (`SELECT 1`) and acknowledged work reaches Dub
 * (or DRY_RUN was chosen); 503 while it does not: database down, delivery paused by a refused
 * key, or no DUB_API_KEY (strict on purpose: an alert, not a restart, is the fix). `GET /metrics`:
 * Prometheus text, behind `Authorization: Bearer <METRICS_TOKEN>` when that is set. Counts come
 * from `cachedStats`; bodies carry no database error text and no tenant id.
 */
export function healthRoutes(deps: HealthDeps) {
  const routes = new Hono();
  const maxAgeMs = deps.statsMaxAgeMs ?? 5_000;
  const stats = () =>
    cachedStats(deps.store, deps.now, maxAgeMs).catch((error: Error) => {
      deps.logger?.error({ error: error.message }, 'outbox counts could not be read');
      return null;
    });

  routes.get('/healthz', async (c) => {
    try {
      await deps.store.ping();
    } catch (error) {
      deps.logger?.error({ error: (error as Error).message }, '/healthz: the database does not answer');
      return c.json({ status: 'unavailable', database: 'unavailable' }, 503);
    }
    const counts = await stats();
    const mode = deps.deliveryMode?.() ?? 'live';
    const delivery = deps.dispatcherStatus().paused
      ? { status: 'paused', reason: PAUSED }
      : mode === 'no_api_key'
        ? { status: 'no_api_key', reason: NO_KEY }
        : { status: mode === 'dry_run' ? 'dry_run' : 'running' };
    const healthy = delivery.status === 'running' || delivery.status === 'dry_run';
    const oldest = counts?.oldestPendingCreatedAt ?? null;
    const body = {
      status: healthy ? 'ok' : 'degraded',
      database: 'ok',
      delivery,
      outbox: counts?.counts ?? null,
      oldestPendingSeconds: oldest === null ? null : Math.round((deps.now() - oldest) / 1000),
    };
    return c.json(body, healthy ? 200 : 503);
  });

  routes.get('/metrics', async (c) => {
    if (deps.config.METRICS_TOKEN && !sameToken(bearer(c), deps.config.METRICS_TOKEN)) {
      const error = { code: 'unauthorized', message: 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>', requestId: c.get('requestId') };
      return c.json({ error }, 401, { 'www-authenticate': 'Bearer realm="metrics"' });
    }
    const counts = await stats();
    const gauges = counts && {
      dub_bridge_outbox_rows: {
        help: 'Outbox rows by state; state="pending" is the outbox depth (waiting for delivery). Refreshed every few seconds.',
        values: Object.entries(counts.counts).map(([state, n]): [Record<string, string>, number] => [{ state }, n]),
      },
      dub_bridge_oldest_pending_age_seconds: {
        help: 'Age in seconds of the oldest pending outbox row; 0 when none is pending.',
        values: [[{}, counts.oldestPendingCreatedAt === null ? 0 : (deps.now() - counts.oldestPendingCreatedAt) / 1000]] as Array<
          [Record<string, string>, number]
        >,
      },
    };
    return c.text(deps.metrics.render(gauges ?? {}), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
  return routes;
}

function bearer(c: Context): string {
  const header = c.req.header('authorization') ?? '';
  return header.slice(0, 7).toLowerCase() === 'bearer ' ? header.slice(7).trim() : '';
}
