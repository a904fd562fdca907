import { Hono } from 'hono';
import type { Store } from '../db/store.js';
import type { Metrics } from '../metrics.js';
import type { DispatcherStatus } from '../pipeline/dispatcher.js';

export interface HealthDeps {
  store: Store;
  metrics: Metrics;
  now: () => number;
  dispatcherStatus: () => DispatcherStatus;
}

/** `GET /healthz` (200 once the database answers) and `GET /metrics` (Prometheus text). */
export function healthRoutes(deps: HealthDeps) {
  const routes = new Hono();
  routes.get('/healthz', async (c) => {
    try {
      const stats = await deps.store.stats();
      const delivery = deps.dispatcherStatus();
      const oldestPendingSeconds =
        stats.oldestPendingCreatedAt === null ? null : Math.round((deps.now() - stats.oldestPendingCreatedAt) / 1000);
      return c.json({
        status: 'ok',
        database: 'ok',
        delivery: delivery.paused ? { status: 'paused', reason: delivery.pausedReason } : { status: 'running' },
        outbox: stats.counts,
        oldestPendingSeconds,
      });
    } catch (error) {
      return c.json({ status: 'unavailable', database: (error as Error).message }, 503);
    }
  });
  routes.get('/metrics', async (c) => {
    const stats = await deps.store.stats();
    const body = deps.metrics.render({
      dub_bridge_outbox_rows: {
        help: 'Outbox rows by state; state="pending" is the outbox depth (waiting for delivery).',
        values: Object.entries(stats.counts).map(([state, n]) => [{ state }, n]),
      },
      dub_bridge_oldest_pending_age_seconds: {
        help: 'Age in seconds of the oldest pending outbox row; 0 when none is pending.',
        values: [[{}, stats.oldestPendingCreatedAt === null ? 0 : (deps.now() - stats.oldestPendingCreatedAt) / 1000]],
      },
    });
    return c.text(body, 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
  return routes;
}
