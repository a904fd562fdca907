import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import Stripe from 'stripe';
import { afterEach, beforeEach, expect, test } from 'vitest';
import worker from '../../src/runtime/worker.js';
import chargeRefunded from '../fixtures/stripe/charge-refunded.json' with { type: 'json' };
import { signPaidCheckout, type SignedWebhook } from '../shared/webhook-cases.js';
import { postWebhook, rows, runCron, startRemoteFakeDub, workerEnv, type RemoteFakeDub } from './harness.js';

/**
 * Two concurrent drains on one D1 database: each refund webhook is delivered by the invocation
 * that acknowledged it, and the second starts while the first one's PATCH is still on its way.
 */
let dub: RemoteFakeDub;
beforeEach(async () => {
  dub = await startRemoteFakeDub();
});
afterEach(() => dub.close());

/** charge.refunded with `total` refunded so far on the 10800 charge of the paid checkout's sale. */
async function refundWebhook(total: number) {
  const event = structuredClone(chargeRefunded);
  event.id = `evt_race_refund_${total}`;
  Object.assign(event.data.object, { amount_refunded: total, refunded: false });
  const body = JSON.stringify(event);
  const signature = await Stripe.webhooks.generateTestHeaderStringAsync({ payload: body, secret: env.STRIPE_WEBHOOK_SECRET });
  return { path: '/webhooks/stripe', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body } satisfies SignedWebhook;
}

const patches = async () => (await dub.requests()).filter((r) => r.method === 'PATCH').map((r) => r.body);

test("a drain that finds another drain's refund in flight waits for it: the refund is taken off once", async () => {
  const target = workerEnv(dub);
  expect((await postWebhook(target, await signPaidCheckout({ stripe: env.STRIPE_WEBHOOK_SECRET, shopify: env.SHOPIFY_API_SECRET }))).status).toBe(200);

  // First invocation: 300 refunded so far; Dub is slow to answer its PATCH. Not awaited yet.
  await dub.fail('commission', { delayMs: 1_500 });
  const firstCtx = createExecutionContext();
  const first = await refundWebhook(300);
  const firstAck = await worker.fetch(new Request(`https://dub-bridge.example.workers.dev${first.path}`, { method: 'POST', ...first }), target, firstCtx);
  expect(firstAck.status).toBe(200);
  await expect.poll(patches, { timeout: 5_000 }).toHaveLength(1);

  // Second invocation, concurrently: 500 so far. Its drain finds the first refund in flight and
  // waits for it (it retries while the first is `sending`) instead of sending a delta of its own.
  const second = await postWebhook(target, await refundWebhook(500));
  expect(second.status).toBe(200);

  await waitOnExecutionContext(firstCtx);
  await expect
    .poll(
      async () => {
        await runCron(target);
        return (await rows<{ state: string }>(`SELECT state FROM outbox WHERE kind = 'refund' ORDER BY id`)).map((r) => r.state);
      },
      { timeout: 10_000, interval: 200 },
    )
    .toEqual(['delivered', 'delivered']);

  // 300 and 500 of the 10800 charge are 278 and 463 of the 10000 sale: 278, then the 185 that was new.
  expect(await patches()).toEqual([
    { modifySaleAmount: -278, currency: 'usd' },
    { modifySaleAmount: -185, currency: 'usd' },
  ]);
  expect(await rows('SELECT refunded_sent FROM sale_ledger')).toEqual([{ refunded_sent: 463 }]);
  // The second refund was computed from Dub's commission after the first one had landed.
  expect(await rows(`SELECT commissions_before FROM refund_applications ORDER BY refunded_total`)).toEqual([
    { commissions_before: JSON.stringify([{ id: 'cm_1', status: 'pending', amount: 10000 }]) },
    { commissions_before: JSON.stringify([{ id: 'cm_1', status: 'pending', amount: 9722 }]) },
  ]);
});
