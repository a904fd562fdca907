import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { seedRows, tempStore } from '../../test/helpers/temp-store.js';
import type { Store } from '../db/store.js';
import { createLogger } from '../logger.js';
import { createMetrics } from '../metrics.js';
import type { DispatcherStatus } from '../deliver/dispatcher.js';
import { healthRoutes, type DeliveryMode, type HealthDeps } from './health.js';

/** /healthz and /metrics over a real SQLite store, as a monitor or a scraper sees them. */
let store: Store;
let dispose: () => void;
let clock: number;
let statsQueries: number;
let logs: string[];
beforeEach(() => {
  ({ store, dispose } = tempStore());
  clock = 1_000_000;
  statsQueries = 0;
  logs = [];
  const stats = store.stats.bind(store);
  store.stats = () => (statsQueries++, stats());
});
afterEach(() => dispose());

function routes(overrides: Partial<HealthDeps> & { status?: DispatcherStatus; mode?: DeliveryMode } = {}) {
  const { status = { paused: false, pausedReason: null, inFlight: 0 }, mode, ...rest } = overrides;
  return healthRoutes({
    store,
    metrics: createMetrics(),
    now: () => clock,
    dispatcherStatus: () => status,
    config: {},
    logger: createLogger('debug', (line) => logs.push(line)),
    ...(mode ? { deliveryMode: () => mode } : {}),
    ...rest,
  });
}

describe('/healthz', () => {
  test('answers from SELECT 1 and counts refreshed every few seconds, not a count of the tables per request', async () => {
    const app = routes();
    await seedRows(store, 'evt_1', [{ idempotencyKey: 'k1' }], clock - 30_000);
    for (let i = 0; i < 20; i++) expect((await app.request('/healthz')).status).toBe(200);
    expect(statsQueries).toBe(1);
    expect(await (await app.request('/healthz')).json()).toEqual({
      status: 'ok',
      database: 'ok',
      delivery: { status: 'running' },
      outbox: expect.objectContaining({ pending: 1, delivered: 0, dead: 0 }),
      oldestPendingSeconds: 30,
    });

    await seedRows(store, 'evt_2', [{ idempotencyKey: 'k2' }], clock);
    clock += 5_000;
    expect((await (await app.request('/healthz')).json()).outbox.pending).toBe(2);
    expect(statsQueries).toBe(2);
  });

  test('a database error answers 503 without its text; the text goes to the logs', async () => {
    store.ping = async () => {
      throw new Error('SQLITE_CORRUPT: database disk image is malformed (/srv/secret/bridge.sqlite)');
    };
    const response = await routes().request('/healthz');
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ status: 'unavailable', database: 'unavailable' });
    expect(text).not.toMatch(/SQLITE|secret/);
    expect(logs.join('\n')).toContain('SQLITE_CORRUPT');
  });

  test("delivery paused for a refused key answers 503 saying so, without the tenant or Dub's message", async () => {
    const status = { paused: true, pausedReason: 'tenant acme-eu: 401 unauthorized: Invalid API key dub_live_…', inFlight: 0 };
    const response = await routes({ status }).request('/healthz');
    expect(response.status).toBe(503);
    const body = await response.json();
    expect(body).toMatchObject({ status: 'degraded', database: 'ok', delivery: { status: 'paused', reason: expect.stringContaining('401') } });
    expect(JSON.stringify(body)).not.toMatch(/acme|Invalid API key|dub_live/);
  });

  test('no DUB_API_KEY answers 503 (commands stay pending); DRY_RUN=1 answers 200 and says dry_run', async () => {
    const noKey = await routes({ mode: 'no_api_key' }).request('/healthz');
    expect(noKey.status).toBe(503);
    expect(await noKey.json()).toMatchObject({ status: 'degraded', delivery: { status: 'no_api_key', reason: expect.stringContaining('DUB_API_KEY') } });
    const dryRun = await routes({ mode: 'dry_run' }).request('/healthz');
    expect(dryRun.status).toBe(200);
    expect(await dryRun.json()).toMatchObject({ status: 'ok', delivery: { status: 'dry_run' } });
  });
});

describe('/metrics', () => {
  test('with METRICS_TOKEN set, a scrape needs it as a bearer token', async () => {
    const app = routes({ config: { METRICS_TOKEN: 'metrics-token-0123456789' } });
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789', 'Basic bWV0cmljcw==', 'Bearer metrics-token-012345678']) {
      const response = await app.request('/metrics', authorization ? { headers: { authorization } } : {});
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await response.text()).not.toContain('dub_bridge');
    }
    const ok = await app.request('/metrics', { headers: { authorization: 'Bearer metrics-token-0123456789' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/^dub_bridge_outbox_rows\{state="pending"\} 0$/m);
  });

  test('without METRICS_TOKEN it is open, and scrapes share the cached counts', async () => {
    const app = routes();
    for (let i = 0; i < 10; i++) expect((await app.request('/metrics')).status).toBe(200);
    await app.request('/healthz');
    expect(statsQueries).toBe(1);
  });
});
