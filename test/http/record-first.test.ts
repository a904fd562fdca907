import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { composeBridge } from '../../src/compose.js';
import { parseConfig } from '../../src/config.js';
import type { Store } from '../../src/db/store.js';
import { providers as registry } from '../../src/handlers/index.js';
import type { ProviderDefinition } from '../../src/handlers/provider.js';
import { createLogger } from '../../src/logger.js';
import { replay } from '../../src/ops/replay.js';
import { loadFixture, SHOP } from '../fixtures/shopify/harness.js';
import { stripeFixture } from '../fixtures/stripe/index.js';
import { startFakeDub, type FakeDub } from '../helpers/fake-dub.js';
import { SHOPIFY_SECRET, STRIPE_SECRET, shopifyHeaders, stripeSignature } from '../helpers/signers.js';
import { tempStore } from '../helpers/temp-store.js';

/**
 * Record first: a verified event whose payload today's schema rejects is stored and answered 200,
 * kept as `unmapped` with the reason, and delivered after `replay --remap` once the mapper reads
 * it. The "fix" is a provider whose parse understands the new shape, passed to replay the way a
 * new release's registry would be.
 */
let dub: FakeDub;
let store: Store;
let dispose: () => void;
beforeEach(async () => {
  dub = await startFakeDub();
  ({ store, dispose } = tempStore());
});
afterEach(async () => {
  dispose();
  await dub.close();
});

const env = { DUB_API_KEY: 'dub_test_key_0123456789', STRIPE_WEBHOOK_SECRET: STRIPE_SECRET, SHOPIFY_API_SECRET: SHOPIFY_SECRET, LOG_LEVEL: 'error' };

function bridge(providers: readonly ProviderDefinition[] = registry) {
  const config = parseConfig({ ...env, DUB_API_URL: dub.url }, undefined, providers);
  const logs: string[] = [];
  const parts = composeBridge({ config, store, providers, logger: createLogger('warn', (line) => logs.push(line)), startDelivery: () => {} });
  return { config, logs, ...parts };
}

/** The registry with one provider's parse reading a payload shape it did not know before. */
function withFix(source: string, normalize: (json: any) => any): ProviderDefinition[] {
  return registry.map((p) => (p.source === source ? { ...p, parse: (json, identity, request) => p.parse(normalize(json), identity, request) } : p));
}

describe('a verified event the mapper rejects', () => {
  it('Stripe: an invoice.paid whose amount moved in a new API version is kept as unmapped, then delivered after replay --remap', async () => {
    const { app, dispatcher, logs, config } = bridge();
    const event = stripeFixture('invoice-paid-renewal-legacy-api');
    // A (hypothetical) API version that nests the amounts: today's schema finds no amount_paid.
    event.data.object.amounts = { paid: event.data.object.amount_paid, excluding_tax: event.data.object.total_excluding_tax };
    delete event.data.object.amount_paid;
    const body = JSON.stringify(event);
    const response = await app.request('/webhooks/stripe', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': await stripeSignature(body) },
      body,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ received: true, duplicate: false });
    await dispatcher.drain();

    const inbox = await store.getInbox(1);
    expect(inbox).toMatchObject({ state: 'unmapped', eventType: 'invoice.paid' });
    expect(inbox!.reason).toContain('amount_paid');
    expect(dub.requests).toHaveLength(0);
    expect(logs.filter((line) => line.includes('kept as unmapped'))).toHaveLength(1);

    const fixed = withFix('stripe', (json) => {
      const object = json.data.object;
      return { ...json, data: { object: { ...object, amount_paid: object.amounts?.paid ?? object.amount_paid } } };
    });
    const report = await replay({ by: 'event', event: event.id }, { remap: true }, { store, config, now: Date.now, providers: fixed });
    expect(report).toMatchObject({ added: 1 });
    await dispatcher.drain();
    expect(dub.calls('POST', '/track/sale')).toHaveLength(1);
    expect(dub.calls('POST', '/track/sale')[0]!.body).toMatchObject({ invoiceId: event.data.object.id, paymentProcessor: 'stripe' });
    expect((await store.getInbox(1))?.state).toBe('mapped');
  });

  it('Shopify: an orders/paid whose subtotal field moved is kept as unmapped, then delivered after replay --remap', async () => {
    const { app, dispatcher, config } = bridge();
    const order = loadFixture('orders-paid');
    order.subtotal = { current: order.current_subtotal_price_set };
    delete order.current_subtotal_price_set;
    delete order.subtotal_price_set;
    const body = JSON.stringify(order);
    const headers = shopifyHeaders(body, { topic: 'orders/paid', shop: SHOP, eventId: 'evt-moved-1' });
    expect((await app.request('/webhooks/shopify', { method: 'POST', headers, body })).status).toBe(200);
    await dispatcher.drain();
    const inbox = await store.getInbox(1);
    expect(inbox).toMatchObject({ state: 'unmapped' });
    expect(inbox!.reason).toContain('subtotal');

    const fixed = withFix('shopify', (json) => ({ ...json, current_subtotal_price_set: json.subtotal?.current ?? json.current_subtotal_price_set }));
    expect(await replay({ by: 'event', event: 'evt-moved-1' }, { remap: true }, { store, config, now: Date.now, providers: fixed })).toMatchObject({
      added: 1,
    });
    await dispatcher.drain();
    expect(dub.calls('POST', '/track/sale')).toHaveLength(1);
    expect(dub.calls('POST', '/track/sale')[0]!.body).toMatchObject({ paymentProcessor: 'shopify', invoiceId: order.admin_graphql_api_id });
  });

  it('malformed JSON and bad signatures are still refused before anything is stored', async () => {
    const { app } = bridge();
    const body = '{"id": "evt_broken", ';
    const malformed = await app.request('/webhooks/stripe', { method: 'POST', headers: { 'stripe-signature': await stripeSignature(body) }, body });
    const forged = await app.request('/webhooks/stripe', {
      method: 'POST',
      headers: { 'stripe-signature': await stripeSignature('{}', { secret: 'whsec_not_ours_0000000000' }) },
      body: '{}',
    });
    expect([malformed.status, forged.status]).toEqual([400, 401]);
    expect(await store.getInbox(1)).toBeUndefined();
  });
});
