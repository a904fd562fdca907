import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { stripeFixture } from '../fixtures/stripe/index.js';
import { eventually, mappedAck, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { startFakeDub, type FakeDub } from '../helpers/fake-dub.js';

/**
 * MAPPING.md's Stripe rules, end to end: signed webhooks over real HTTP into the bridge, a real
 * SQLite file, and the Dub calls as the fake Dub received them.
 */
let dub: FakeDub;
let bridge: TestBridge;

async function start(env: Record<string, string> = {}) {
  dub = await startFakeDub();
  bridge = await startTestBridge({ DUB_API_KEY: dub.apiKey, DUB_API_URL: dub.url, ...env });
}

beforeEach(() => start());
afterEach(async () => {
  await bridge.close();
  await dub.close();
});

const settled = () => eventually(() => bridge.query(`SELECT count(*) AS n FROM outbox WHERE state = 'pending'`)[0].n === 0);
const withId = (event: any, id: string) => ({ ...event, id });

describe('checkout.session.completed', () => {
  test('a paid checkout becomes one sale without tax, carrying the click id', async () => {
    const response = await bridge.postStripe(stripeFixture('checkout-session-completed-payment'));
    expect(response.status).toBe(200);
    expect(await mappedAck(response)).toEqual({ received: true, duplicate: false, inboxId: expect.any(Number), outcome: 'commands', queued: 1 });

    const [sale] = await eventually(() => dub.calls('POST', '/track/sale').length === 1 && dub.calls('POST', '/track/sale'));
    expect(sale!.headers.authorization).toBe(`Bearer ${dub.apiKey}`);
    expect(sale!.body).toMatchObject({
      customerExternalId: 'user_4242',
      amount: 10000, // amount_total 10800 − tax 800
      currency: 'usd',
      paymentProcessor: 'stripe',
      eventName: 'Purchase',
      invoiceId: 'pi_3QyPkQ2eZvKYlo2C1aBcDeFg',
      clickId: 'Jk8sP2qLmN4vXy7Z',
      leadEventName: 'Sign up',
      customerEmail: 'ada@example.com',
      metadata: { source: 'dub-bridge', stripeEventId: 'evt_1QyPkS2eZvKYlo2CWbF7xR3n' },
    });
    await settled();
    expect(bridge.query('SELECT kind, state, idempotency_key FROM outbox')).toEqual([
      { kind: 'sale', state: 'delivered', idempotency_key: 'sale:stripe:pi_3QyPkQ2eZvKYlo2C1aBcDeFg' },
    ]);
  });

  test('setup mode is recorded as ignored and nothing reaches Dub', async () => {
    const response = await bridge.postStripe(stripeFixture('checkout-session-completed-setup'));
    expect(await mappedAck(response)).toMatchObject({ outcome: 'ignored', queued: 0 });
    expect(bridge.query('SELECT state, reason FROM inbox')).toEqual([{ state: 'ignored', reason: expect.stringContaining('setup') }]);
    expect(bridge.query('SELECT count(*) AS n FROM outbox')[0].n).toBe(0);
    expect(dub.requests).toHaveLength(0);
  });

  test('an unpaid checkout (delayed method) with a click id is a lead, and its later payment a sale after it', async () => {
    const session = stripeFixture('checkout-session-async-payment-succeeded');
    const completed = {
      ...session,
      id: 'evt_1R2SepaCompleted0001',
      type: 'checkout.session.completed',
      data: { object: { ...session.data.object, payment_status: 'unpaid' } },
    };
    await bridge.postStripe(completed);
    await bridge.postStripe(session);
    await eventually(() => dub.calls('POST', '/track/sale').length === 1);
    const calls = dub.requests.map((r) => r.path);
    expect(calls).toEqual(['/track/lead', '/track/sale']);
    expect(dub.requests[0]!.body).toMatchObject({ clickId: 'Zy9xW8vU7tS6rQ5p', eventName: 'Sign up', customerExternalId: 'cus_RvW1xY2zA3bC4d' });
    // SEPA sale, which Dub's own app drops: eur, no tax.
    expect(dub.requests[1]!.body).toMatchObject({ amount: 4900, currency: 'eur', invoiceId: 'pi_3R2Sepa2eZvKYlo2C0aBcDeFg', eventName: 'Purchase' });
  });

  test('an unpaid checkout without a click id is ignored but still links the customer for renewals', async () => {
    const checkout = stripeFixture('checkout-session-completed-payment');
    checkout.data.object.payment_status = 'unpaid';
    checkout.data.object.client_reference_id = null;
    const response = await bridge.postStripe(checkout);
    expect(await mappedAck(response)).toMatchObject({ outcome: 'ignored' });
    expect(bridge.query('SELECT provider_customer_id, external_id FROM customer_links')).toEqual([
      { provider_customer_id: 'cus_RqB3cD4eF5gH6i', external_id: 'user_4242' },
    ]);
    expect(dub.requests).toHaveLength(0);
  });

  test('a 100% coupon checkout (amount 0) with a click id is a lead, not a sale', async () => {
    const checkout = stripeFixture('checkout-session-completed-payment');
    Object.assign(checkout.data.object, { amount_total: 0, total_details: { amount_discount: 10800, amount_shipping: 0, amount_tax: 0 } });
    await bridge.postStripe(checkout);
    await eventually(() => dub.requests.length === 1);
    expect(dub.requests[0]).toMatchObject({ path: '/track/lead', body: { eventName: 'Sign up', clickId: 'Jk8sP2qLmN4vXy7Z' } });
  });

  test('JPY is zero-decimal: the amount is sent in whole yen', async () => {
    const checkout = stripeFixture('checkout-session-completed-payment');
    Object.assign(checkout.data.object, { currency: 'jpy', amount_total: 15400, total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 1400 } });
    await bridge.postStripe(checkout);
    const [sale] = await eventually(() => dub.calls('POST', '/track/sale').length === 1 && dub.calls('POST', '/track/sale'));
    expect(sale!.body).toMatchObject({ amount: 14000, currency: 'jpy' });
  });

  test('KWD is three-decimal: Stripe thousandths become cents, the exact amount goes into metadata', async () => {
    const checkout = stripeFixture('checkout-session-completed-payment');
    Object.assign(checkout.data.object, { currency: 'kwd', amount_total: 12340, total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 } });
    await bridge.postStripe(checkout);
    const [sale] = await eventually(() => dub.calls('POST', '/track/sale').length === 1 && dub.calls('POST', '/track/sale'));
    expect(sale!.body.amount).toBe(1234);
    expect(sale!.body.currency).toBe('kwd');
    expect(sale!.body.metadata).toMatchObject({ originalAmount: '12.340', originalCurrency: 'kwd' });
  });
});

describe('subscriptions and invoices', () => {
  test('a subscription checkout followed by its first invoice is one sale in Dub', async () => {
    await bridge.postStripe(stripeFixture('checkout-session-completed-subscription'));
    const second = await bridge.postStripe(stripeFixture('invoice-paid-subscription-create'));
    expect(await mappedAck(second)).toMatchObject({ duplicate: false, outcome: 'commands', queued: 0 });
    await settled();
    const sales = dub.calls('POST', '/track/sale');
    expect(sales).toHaveLength(1);
    expect(sales[0]!.body).toMatchObject({
      invoiceId: 'in_1QzSuc2eZvKYlo2CaB1cD2eF',
      eventName: 'Subscription creation',
      customerExternalId: 'user_7781',
      clickId: 'Pq3rS5tU7vW9xY1z',
      amount: 2900,
    });
    expect(bridge.query('SELECT count(*) AS n FROM outbox')[0].n).toBe(1);
  });

  test('the first invoice arriving before its checkout is held and replaced by the attributed checkout sale', async () => {
    await bridge.close();
    await dub.close();
    await start({ PROVISIONAL_SALE_HOLD_MS: '400' });
    await bridge.postStripe(stripeFixture('invoice-paid-subscription-create'));
    await bridge.postStripe(stripeFixture('checkout-session-completed-subscription'));
    await settled();
    const sales = dub.calls('POST', '/track/sale');
    expect(sales).toHaveLength(1);
    expect(sales[0]!.body).toMatchObject({ customerExternalId: 'user_7781', clickId: 'Pq3rS5tU7vW9xY1z', invoiceId: 'in_1QzSuc2eZvKYlo2CaB1cD2eF' });
  });

  test('a renewal invoice carrying only cus_… reaches the merchant id learned from the checkout', async () => {
    await bridge.postStripe(stripeFixture('checkout-session-completed-payment'));
    await settled();
    await bridge.postStripe(stripeFixture('invoice-paid-renewal-legacy-api'));
    await eventually(() => dub.calls('POST', '/track/sale').length === 2);
    expect(dub.calls('POST', '/track/sale')[1]!.body).toMatchObject({
      customerExternalId: 'user_4242',
      amount: 5000, // paid in full: total_excluding_tax
      eventName: 'Invoice paid',
      invoiceId: 'in_1R8Ren2eZvKYlo2CgH7iJ8kL',
    });
  });

  test('a partly paid invoice sends amount_paid', async () => {
    const invoice = stripeFixture('invoice-paid-renewal-legacy-api');
    Object.assign(invoice.data.object, { amount_paid: 2000 });
    await bridge.postStripe(invoice);
    const [sale] = await eventually(() => dub.calls('POST', '/track/sale').length === 1 && dub.calls('POST', '/track/sale'));
    expect(sale!.body.amount).toBe(2000);
  });

  test('a trial invoice (amount_paid 0) is ignored', async () => {
    const invoice = stripeFixture('invoice-paid-renewal-legacy-api');
    Object.assign(invoice.data.object, { amount_paid: 0, total: 0, total_excluding_tax: 0 });
    expect(await mappedAck(await bridge.postStripe(invoice))).toMatchObject({ outcome: 'ignored' });
    expect(dub.requests).toHaveLength(0);
  });

  test('a sale for a customer Dub never saw is recorded as not attributed, not as a failure', async () => {
    const invoice = stripeFixture('invoice-paid-renewal-legacy-api');
    await bridge.postStripe(invoice);
    await settled();
    expect(bridge.query('SELECT state, attempts FROM outbox')).toEqual([{ state: 'not_attributed', attempts: 1 }]);
  });
});

describe('customers', () => {
  test('customer.updated with dubCustomerExternalId updates the Dub customer, or tracks its click as a lead if Dub does not know it', async () => {
    await bridge.postStripe(stripeFixture('customer-updated'));
    await eventually(() => dub.requests.length === 2);
    expect(dub.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['PATCH /customers/ext_user_1918', 'POST /track/lead']);
    expect(dub.requests[0]!.body).toMatchObject({ stripeCustomerId: 'cus_RzA9bC0dE1fG2h' });
    expect(dub.requests[1]!.body).toMatchObject({ clickId: 'Lm4Nb5Vc6Xz7As8D', eventName: 'New customer', customerExternalId: 'user_1918' });
    expect(bridge.query('SELECT provider_customer_id, external_id FROM customer_links')).toEqual([
      { provider_customer_id: 'cus_RzA9bC0dE1fG2h', external_id: 'user_1918' },
    ]);
  });

  test('a known customer is only updated', async () => {
    dub.knowCustomer('user_1918');
    await bridge.postStripe(stripeFixture('customer-updated'));
    await settled();
    expect(dub.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['PATCH /customers/ext_user_1918']);
  });
});

describe('other events and settings', () => {
  test('an unknown event type is acknowledged, recorded as ignored, and sends nothing', async () => {
    const event = withId(stripeFixture('checkout-session-completed-payment'), 'evt_1UnknownTypeEvent0001');
    event.type = 'payment_method.attached';
    const response = await bridge.postStripe(event);
    expect(response.status).toBe(200);
    expect(await mappedAck(response)).toMatchObject({ outcome: 'ignored', reason: 'unhandled event type payment_method.attached' });
    expect(bridge.query('SELECT event_type, state FROM inbox')).toEqual([{ event_type: 'payment_method.attached', state: 'ignored' }]);
    expect(dub.requests).toHaveLength(0);
  });

  test('TEST_EVENTS=skip ignores livemode:false events; the default forwards them', async () => {
    const testEvent = { ...stripeFixture('checkout-session-completed-payment'), livemode: false };
    expect(await mappedAck(await bridge.postStripe(testEvent))).toMatchObject({ outcome: 'commands' });
    await bridge.close();
    await dub.close();
    await start({ TEST_EVENTS: 'skip' });
    expect(await mappedAck(await bridge.postStripe(testEvent))).toMatchObject({ outcome: 'ignored', reason: expect.stringContaining('TEST_EVENTS=skip') });
  });

  test('DRY_RUN=1 without DUB_API_KEY: commands are stored as dry_run and logged with what would be sent, nothing is sent', async () => {
    await bridge.close();
    await dub.close();
    dub = await startFakeDub();
    bridge = await startTestBridge({ DUB_API_URL: dub.url, DRY_RUN: '1' });
    await bridge.postStripe(stripeFixture('checkout-session-completed-payment'));
    await settled();
    expect(bridge.query('SELECT state, response FROM outbox')).toEqual([{ state: 'dry_run', response: '{"dryRun":true}' }]);
    expect(dub.requests).toHaveLength(0);
    const line = bridge.logs.find((l) => l.includes('would send this to Dub'));
    expect(line).toContain('"amount":10000');
    expect(line).toContain('"currency":"usd"');
  });

  test('without DUB_API_KEY (and no DRY_RUN) commands stay pending: a missing key never finalises real work', async () => {
    await bridge.close();
    await dub.close();
    dub = await startFakeDub();
    bridge = await startTestBridge({ DUB_API_URL: dub.url, SWEEP_INTERVAL_MS: '20' });
    await bridge.postStripe(stripeFixture('checkout-session-completed-payment'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bridge.query('SELECT state, attempts FROM outbox')).toEqual([{ state: 'pending', attempts: 0 }]);
    expect(dub.requests).toHaveLength(0);
  });
});
