import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedRows, tempStore } from '../../test/helpers/temp-store.js';
import type { OutboxRow } from '../db/schema.js';
import type { Store } from '../db/store.js';
import { silentLogger } from '../logger.js';
import { createMetrics } from '../metrics.js';
import { createDispatcher } from './dispatcher.js';
import { done, failed, type DeliveryOutcome } from './outcome.js';

let store: Store;
let dispose: () => void;
let clock: number;
beforeEach(() => {
  ({ store, dispose } = tempStore());
  clock = 10_000;
});
afterEach(() => dispose());

const refused = failed({ kind: 'http', status: 401, message: '401 unauthorized: Invalid API key.', retryAfterMs: null });

function dispatcher(execute: (row: OutboxRow) => Promise<DeliveryOutcome>, overrides: { ratePerMinute?: number; concurrency?: number } = {}) {
  const metrics = createMetrics();
  const d = createDispatcher({
    store,
    execute,
    policy: { maxAttempts: 5, baseBackoffMs: 100, maxBackoffMs: 1000 },
    concurrency: overrides.concurrency ?? 3,
    ratePerMinute: overrides.ratePerMinute ?? 600_000,
    leaseMs: 5000,
    pauseProbeMs: 60_000,
    logger: silentLogger,
    metrics,
    now: () => clock,
    // A fixed jitter: a 0 ms draw would make a retried row due again within the same drain.
    random: () => 0.5,
    sleep: async () => undefined,
  });
  return { d, pausedGauge: () => /^dub_bridge_delivery_paused (\d)$/m.exec(metrics.render())![1] };
}

const states = async (ids: number[]) => Promise.all(ids.map(async (id) => (await store.getOutbox(id))!.state));

describe('dispatcher: 401/403 pause and the probe that resumes', () => {
  it('stops after the first refusal, probes once per interval, and delivers everything once the key works', async () => {
    await seedRows(store, 'evt_1', [{ idempotencyKey: 'k1' }, { idempotencyKey: 'k2' }, { idempotencyKey: 'k3' }]);
    let keyWorks = false;
    const calls: number[] = [];
    const { d, pausedGauge } = dispatcher(async (row) => {
      calls.push(row.id);
      return keyWorks ? done('delivered', '{}') : refused;
    });

    await d.drain();
    expect(d.status()).toMatchObject({ paused: true, pausedReason: '401 unauthorized: Invalid API key.' });
    expect(pausedGauge()).toBe('1');
    expect(calls.length).toBeLessThanOrEqual(3);
    const afterPause = calls.length;
    await d.drain();
    expect(calls).toHaveLength(afterPause);

    clock += 60_000;
    await d.drain();
    expect(calls).toHaveLength(afterPause + 1);
    expect(await states([1, 2, 3])).toEqual(['pending', 'pending', 'pending']);
    expect((await store.getOutbox(1))!.attempts).toBe(0);

    keyWorks = true;
    clock += 60_000;
    const report = await d.drain();
    expect(report.delivered).toBe(3);
    expect(await states([1, 2, 3])).toEqual(['delivered', 'delivered', 'delivered']);
    expect(d.status()).toMatchObject({ paused: false, pausedReason: null });
    expect(pausedGauge()).toBe('0');
  });

  it('pauses only the tenant whose key Dub refuses', async () => {
    await seedRows(store, 'evt_a', [
      { idempotencyKey: 'a1', tenant: 'acme' },
      { idempotencyKey: 'a2', tenant: 'acme' },
    ]);
    await seedRows(store, 'evt_b', [{ idempotencyKey: 'b1' }, { idempotencyKey: 'b2' }]);
    const { d } = dispatcher(async (row) => (row.tenant === 'acme' ? refused : done('delivered', '{}')));
    await d.drain();
    expect(await states([1, 2, 3, 4])).toEqual(['pending', 'pending', 'delivered', 'delivered']);
    expect(d.status().pausedReason).toBe('tenant acme: 401 unauthorized: Invalid API key.');
  });
});

describe('dispatcher: shutdown', () => {
  it('stops within the grace period while a call hangs and gives the row back unattempted', async () => {
    await seedRows(store, 'evt_1', [{ idempotencyKey: 'k1' }]);
    const { d } = dispatcher(() => new Promise<DeliveryOutcome>(() => undefined));
    void d.drain();
    await expect.poll(() => d.status().inFlight).toBe(1);
    await d.stop(20);
    expect(await d.releaseUnfinished()).toBe(1);
    expect(await store.getOutbox(1)).toMatchObject({ state: 'pending', attempts: 0, leaseUntil: null, lastError: 'interrupted by shutdown' });
  });
});

describe('dispatcher: outcomes', () => {
  it("retries a 503 with backoff, dead-letters a 422 with Dub's message, and never throws at the caller", async () => {
    await seedRows(store, 'evt_1', [{ idempotencyKey: 'retry' }, { idempotencyKey: 'dead' }, { idempotencyKey: 'boom' }]);
    const { d } = dispatcher(async (row) => {
      if (row.idempotencyKey === 'retry') return failed({ kind: 'http', status: 503, message: '503 unavailable', retryAfterMs: null });
      if (row.idempotencyKey === 'dead') return failed({ kind: 'http', status: 422, message: '422 unprocessable_entity: bad currency', retryAfterMs: null });
      throw new Error('bug in execute');
    });
    const report = await d.drain();
    expect(report).toMatchObject({ attempted: 3, dead: 1, retried: 2 });
    expect(await store.getOutbox(1)).toMatchObject({ state: 'pending', attempts: 1, lastError: '503 unavailable' });
    expect((await store.getOutbox(1))!.nextAttemptAt).toBeGreaterThanOrEqual(clock);
    expect(await store.getOutbox(2)).toMatchObject({ state: 'dead', lastError: '422 unprocessable_entity: bad currency' });
    expect(await store.getOutbox(3)).toMatchObject({ state: 'pending', lastError: 'unexpected: bug in execute' });
  });
});

describe('dispatcher: claiming', () => {
  it('claims rows in batches: one query serves every idle worker', async () => {
    await seedRows(
      store,
      'evt_1',
      Array.from({ length: 9 }, (_, i) => ({ idempotencyKey: `k${i}` })),
    );
    const claimDue = store.claimDue.bind(store);
    const claims: number[] = [];
    store.claimDue = async (...args) => {
      const rows = await claimDue(...args);
      claims.push(rows.length);
      return rows;
    };
    const sent: number[] = [];
    const { d } = dispatcher(async (row) => {
      sent.push(row.id);
      return done('delivered', '{}');
    });
    expect(await d.drain()).toMatchObject({ delivered: 9 });
    expect(sent.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(claims.reduce((a, b) => a + b, 0)).toBe(9);
    expect(claims.length).toBeLessThanOrEqual(5);
    expect(Math.max(...claims)).toBe(3);
  });

  it("gives a key's claimed rows back unsent, due at its next slot, when the rate limit has none within the lease", async () => {
    await seedRows(
      store,
      'evt_1',
      Array.from({ length: 6 }, (_, i) => ({ idempotencyKey: `k${i}` })),
    );
    // One call a second and a 5 s lease: slots at +0, +1 and +2 s fit in half the lease, +3 s does not.
    const { d } = dispatcher(async () => done('delivered', '{}'), { ratePerMinute: 60, concurrency: 4 });
    expect(await d.drain()).toMatchObject({ delivered: 3 });
    const rows = await Promise.all([1, 2, 3, 4, 5, 6].map(async (id) => (await store.getOutbox(id))!));
    const waiting = rows.filter((row) => row.state === 'pending');
    expect(waiting).toHaveLength(3);
    for (const row of waiting) {
      expect(row).toMatchObject({ attempts: 0, leaseUntil: null, lastError: 'waiting for a rate-limit slot' });
      expect(row.nextAttemptAt).toBe(clock + 3000);
    }
  });
});
