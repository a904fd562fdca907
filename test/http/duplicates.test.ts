import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { stripeFixture } from '../fixtures/stripe/index.js';
import { eventually } from '../helpers/bridge.js';
import { bridgeWithFakeDub } from '../helpers/bridge-with-dub.js';
import { stripeSignature } from '../helpers/signers.js';

/** Providers retry and deliver twice, sometimes at the same moment: Dub must hear once. */
const ctx = bridgeWithFakeDub();

const settled = () => eventually(() => ctx.bridge.query(`SELECT count(*) AS n FROM outbox WHERE state = 'pending'`)[0].n === 0);

test('a Stripe event delivered five times in a row gives one Dub call and four duplicate answers', async () => {
  const body = JSON.stringify(stripeFixture('checkout-session-completed-payment'));
  const answers = [];
  for (let i = 0; i < 5; i++) answers.push(await (await ctx.bridge.postStripe(body)).json());
  expect(answers.filter((a: any) => a.duplicate)).toHaveLength(4);
  await settled();
  expect(ctx.dub.calls('POST', '/track/sale')).toHaveLength(1);
  expect(ctx.bridge.query('SELECT count(*) AS n FROM inbox')[0].n).toBe(1);
});

test('30 concurrent deliveries of one Stripe event: all acknowledged, one recorded, one Dub call', async () => {
  const body = JSON.stringify(stripeFixture('checkout-session-completed-payment'));
  const signature = await stripeSignature(body);
  const responses = await Promise.all(Array.from({ length: 30 }, () => ctx.bridge.postStripe(body, { signature })));
  expect(responses.map((r) => r.status)).toEqual(Array(30).fill(200));
  const answers = await Promise.all(responses.map((r) => r.json()));
  expect(answers.filter((a: any) => !a.duplicate)).toHaveLength(1);
  await settled();
  expect(ctx.dub.calls('POST', '/track/sale')).toHaveLength(1);
  expect(ctx.bridge.query('SELECT count(*) AS n FROM outbox')[0].n).toBe(1);
});

test('30 concurrent deliveries of one Shopify webhook: one Dub call', async () => {
  const body = readFileSync(new URL('../fixtures/shopify/orders-paid.json', import.meta.url), 'utf8');
  const responses = await Promise.all(
    Array.from({ length: 30 }, () => ctx.bridge.postShopify(body, { topic: 'orders/paid', eventId: 'evt-same-for-all', shop: 'partner-goods.myshopify.com' })),
  );
  expect(responses.every((r) => r.status === 200)).toBe(true);
  await settled();
  expect(ctx.dub.calls('POST', '/track/sale')).toHaveLength(1);
});

test('the checkout and its first invoice racing each other still make one sale', async () => {
  const checkout = JSON.stringify(stripeFixture('checkout-session-completed-subscription'));
  const invoice = JSON.stringify(stripeFixture('invoice-paid-subscription-create'));
  await Promise.all([ctx.bridge.postStripe(checkout), ctx.bridge.postStripe(invoice), ctx.bridge.postStripe(checkout), ctx.bridge.postStripe(invoice)]);
  await eventually(() => ctx.dub.calls('POST', '/track/sale').length >= 1, 40_000);
  await settled();
  expect(ctx.dub.calls('POST', '/track/sale')).toHaveLength(1);
  expect(ctx.bridge.query('SELECT count(*) AS n FROM inbox')[0].n).toBe(2);
});
