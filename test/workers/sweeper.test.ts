import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { signPaidCheckout } from '../shared/webhook-cases.js';
import { postWebhook, rows, runCron, startRemoteFakeDub, workerEnv, type RemoteFakeDub } from './harness.js';

/** The Cron Trigger sweeper picks up what the delivery after the ack could not finish. */
let dub: RemoteFakeDub;

beforeEach(async () => {
  dub = await startRemoteFakeDub();
});
afterEach(() => dub.close());

test('a sale Dub refused with 503 stays pending, and the scheduled handler delivers it', async () => {
  const target = workerEnv(dub);
  // Retry-After pins the backoff (the jitter alone could make the retry due at once).
  await dub.fail('sale', { status: 503, headers: { 'retry-after': '1' } });

  const ack = await postWebhook(target, await signPaidCheckout({ stripe: env.STRIPE_WEBHOOK_SECRET, shopify: env.SHOPIFY_API_SECRET }));
  expect(ack.status).toBe(200);
  const [afterAck] = await rows<{ state: string; attempts: number; last_error: string; next_attempt_at: number }>(
    'SELECT state, attempts, last_error, next_attempt_at FROM outbox',
  );
  expect(afterAck).toMatchObject({ state: 'pending', attempts: 1, last_error: expect.stringContaining('503') });

  // The next Cron run after the Retry-After delivers it.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, afterAck!.next_attempt_at - Date.now()) + 20));
  await runCron(target);

  expect(await rows('SELECT state, attempts, last_error FROM outbox')).toEqual([{ state: 'delivered', attempts: 2, last_error: null }]);
  const sales = (await dub.requests()).filter((request) => request.path === '/track/sale');
  expect(sales).toHaveLength(2);
  expect(sales[1]!.body).toEqual(sales[0]!.body);
});

test('the scheduled handler with nothing due sends nothing', async () => {
  await runCron(workerEnv(dub));
  expect(await dub.requests()).toEqual([]);
  expect(await rows('SELECT count(*) AS n FROM outbox')).toEqual([{ n: 0 }]);
});
