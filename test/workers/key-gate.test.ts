import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, expect, test } from 'vitest';
import worker, { type WorkerEnv } from '../../src/runtime/worker.js';
import { rows, runCron, startRemoteFakeDub, workerEnv, type RemoteFakeDub } from './harness.js';
import { consume, recordLeads, sleep } from './queue-harness.js';

/**
 * One Durable Object per Dub key (`DubKeyGate`) holds the key's rate limit and its pause for every
 * consumer of every isolate. "Another isolate" is a second env object: the Worker composes its
 * parts (config, gates' snapshot, app) once per env, exactly as a second isolate would.
 */
let dub: RemoteFakeDub;
afterEach(() => dub.close());

async function healthz(target: WorkerEnv) {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request('https://dub-bridge.example.workers.dev/healthz'), target, ctx);
  await waitOnExecutionContext(ctx);
  return { status: response.status, body: (await response.json()) as { delivery: { status: string } } };
}

/** The most requests that arrived within any `windowMs` (a sliding window over arrival times). */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

test("many concurrent consumers never exceed the key's rate: no 429 from a Dub that counts", async () => {
  // Dub Business: 1,200 a minute per key (the default DUB_RATE_LIMIT_PER_MINUTE). The fake Dub
  // counts it in 2-second windows of 40, stricter than per minute, and answers 429 past that.
  dub = await startRemoteFakeDub({ rateLimit: 40, rateWindowMs: 2_000 });
  const ids = await recordLeads(60, 'burst');

  // Twelve consumers at once, five rows each, from two "isolates": only the key's gate is shared.
  const isolates = [workerEnv(dub), workerEnv(dub)];
  const batches = Array.from({ length: 12 }, (_, i) => ids.slice(i * 5, i * 5 + 5));
  const results = await Promise.all(
    batches.map((batch, i) =>
      consume(
        isolates[i % 2]!,
        batch.map((outboxId) => ({ outboxId })),
      ),
    ),
  );

  expect(await dub.rejected429()).toBe(0);
  const leads = (await dub.requests()).filter((r) => r.path === '/track/lead');
  expect(leads).toHaveLength(60);
  expect(leads.every((r) => r.status === 200)).toBe(true);
  expect(
    busiestWindow(
      leads.map((r) => r.at),
      2_000,
    ),
  ).toBeLessThanOrEqual(40);
  expect(await rows(`SELECT count(*) AS n FROM outbox WHERE state = 'delivered' AND attempts = 1`)).toEqual([{ n: 60 }]);
  for (const result of results) expect(result.acked).toEqual(result.ids);
});

test('a 401 from Dub pauses every consumer and /healthz everywhere; a later 200 to the probe resumes them', async () => {
  dub = await startRemoteFakeDub();
  const vars = { DELIVERY_PAUSE_PROBE_MS: '500' };
  const [isolateA, isolateB] = [workerEnv(dub, vars), workerEnv(dub, vars)];
  await dub.fail('lead', { status: 401, body: { error: { code: 'unauthorized', message: 'Invalid API key.' } } });
  const [first, ...others] = await recordLeads(4, 'paused');

  // A consumer in isolate A meets the 401: the key is paused for the deployment.
  const refused = await consume(isolateA, [{ outboxId: first }]);
  expect(refused.acked).toEqual(refused.ids);
  expect(await healthz(isolateB)).toMatchObject({ status: 503, body: { delivery: { status: 'paused' } } });

  // A consumer in isolate B holds its rows back: nothing reaches Dub, every row stays pending.
  const held = await consume(
    isolateB,
    others.map((outboxId) => ({ outboxId })),
  );
  expect(held.acked).toEqual(held.ids);
  expect((await dub.requests()).map((r) => r.status)).toEqual([401]);
  expect(await rows(`SELECT DISTINCT state FROM outbox`)).toEqual([{ state: 'pending' }]);

  // Once the probe interval passed, one row probes the key (Dub now says 200) and the rest follow.
  await sleep(600);
  await expect
    .poll(
      async () => {
        await runCron(isolateB);
        return rows(`SELECT state, count(*) AS n FROM outbox GROUP BY state`);
      },
      { timeout: 10_000, interval: 250 },
    )
    .toEqual([{ state: 'delivered', n: 4 }]);
  expect((await dub.requests()).map((r) => r.status)).toEqual([401, 200, 200, 200, 200]);
  // Isolate A learns it from the gate too (its reading is at most a second old).
  await expect.poll(() => healthz(isolateA), { timeout: 5_000, interval: 250 }).toMatchObject({ status: 200, body: { delivery: { status: 'running' } } });
});
