import { afterEach, describe, expect, test } from 'vitest';
import { polarFixtureText } from '../fixtures/polar/index.js';
import { revenuecatFixture, revenuecatFixtureText } from '../fixtures/revenuecat/index.js';
import { eventually, mappedAck, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { startFakeDub, type FakeDub } from '../helpers/fake-dub.js';
import { POLAR_OTHER_SECRET, POLAR_SECRET, POLAR_SECRET_BASE64, polarHeaders } from '../helpers/signers/polar.js';
import { REVENUECAT_AUTH, revenuecatHeaders } from '../helpers/signers/revenuecat.js';

/**
 * Polar and RevenueCat end to end: bodies signed (or authorised) the way each provider does it,
 * posted to the real Node bridge (real SQLite file), delivered to a fake Dub.
 */
let dub: FakeDub;
let bridge: TestBridge;
afterEach(async () => {
  await bridge?.close();
  await dub?.close();
});

async function start(env: Record<string, string> = {}) {
  dub = await startFakeDub();
  bridge = await startTestBridge({
    DUB_API_KEY: dub.apiKey,
    DUB_API_URL: dub.url,
    DELIVERY_MAX_BACKOFF_MS: '200',
    POLAR_WEBHOOK_SECRET: `${POLAR_OTHER_SECRET},${POLAR_SECRET}`,
    REVENUECAT_WEBHOOK_AUTH: REVENUECAT_AUTH,
    ...env,
  });
}

const post = (source: string, body: string, headers: Record<string, string>) => fetch(`${bridge.url}/webhooks/${source}`, { method: 'POST', headers, body });
const postPolar = (body: string, headers = polarHeaders(body)) => post('polar', body, headers);
const postRevenueCat = (body: string, headers = revenuecatHeaders()) => post('revenuecat', body, headers);

const sales = () => dub.calls('POST', '/track/sale');
const patches = () => dub.calls('PATCH', '/commissions/');
const inboxCount = (source: string) => bridge.query<{ n: number }>(`SELECT count(*) AS n FROM inbox WHERE source = ?`, source)[0]!.n;
const settled = () => eventually(() => bridge.query<{ n: number }>(`SELECT count(*) AS n FROM outbox WHERE state = 'pending'`)[0]!.n === 0);
const delivered = (invoiceId: string) =>
  eventually(
    () =>
      bridge.query<{ state: string }>(`SELECT o.state FROM sale_ledger l JOIN outbox o ON o.id = l.outbox_id WHERE l.invoice_id = ?`, invoiceId)[0]?.state ===
      'delivered',
  );

const POLAR_ORDER = '00000000-0000-4000-8000-0000000000d1';
const POLAR_CUSTOMER = '00000000-0000-4000-8000-00000000c001';
const polarOrder = polarFixtureText('order-paid-subscription-create');

describe('Polar over HTTP', () => {
  test('order.paid reaches Dub once as a polar sale (retries with the same webhook-id, sequential and concurrent, add nothing)', async () => {
    await start();
    const headers = polarHeaders(polarOrder, { webhookId: 'msg_test_polar_http_1' });
    const first = await postPolar(polarOrder, headers);
    expect(first.status).toBe(200);
    expect(await mappedAck(first)).toMatchObject({ outcome: 'commands', queued: 1 });
    // Polar retries the same message id, signed again at a later time.
    const retry = polarHeaders(polarOrder, { webhookId: 'msg_test_polar_http_1', timestamp: Math.floor(Date.now() / 1000) + 5 });
    expect(await (await postPolar(polarOrder, retry)).json()).toMatchObject({ duplicate: true });
    const burst = await Promise.all(Array.from({ length: 5 }, () => postPolar(polarOrder, headers)));
    expect(burst.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    // A different message carrying the same order (order id = invoiceId) adds no second sale either.
    expect(await mappedAck(await postPolar(polarOrder))).toMatchObject({ queued: 0 });
    await delivered(POLAR_ORDER);
    await settled();

    expect(sales()).toHaveLength(1);
    expect(sales()[0]!.body).toMatchObject({
      paymentProcessor: 'polar',
      amount: 9000,
      currency: 'usd',
      invoiceId: POLAR_ORDER,
      customerExternalId: 'user_dub_test_42',
      clickId: 'clk_test_polar_1',
      eventName: 'Subscription creation',
      customerEmail: 'ada@example.com',
      metadata: { source: 'dub-bridge', polarWebhookId: 'msg_test_polar_http_1', polarOrderId: POLAR_ORDER },
    });
    expect(inboxCount('polar')).toBe(2);
    expect(bridge.query(`SELECT provider_customer_id, external_id FROM customer_links WHERE source = 'polar'`)).toEqual([
      { provider_customer_id: POLAR_CUSTOMER, external_id: 'user_dub_test_42' },
    ]);
  });

  test('a renewal without ids reaches the linked customer; a newer-generation secret verifies too', async () => {
    await start({ POLAR_WEBHOOK_SECRET: `${POLAR_SECRET},${POLAR_SECRET_BASE64}` });
    await postPolar(polarOrder);
    const renewal = polarFixtureText('order-paid-renewal');
    expect((await postPolar(renewal, polarHeaders(renewal, { secret: POLAR_SECRET_BASE64 }))).status).toBe(200);
    await settled();
    expect(sales().map((s) => [s.body.invoiceId, s.body.customerExternalId, s.body.eventName])).toEqual([
      [POLAR_ORDER, 'user_dub_test_42', 'Subscription creation'],
      ['00000000-0000-4000-8000-0000000000d3', 'user_dub_test_42', 'Subscription renewal'],
    ]);
  });

  test('order.refunded takes the cumulative pre-tax refund off the commission once; the full refund voids it', async () => {
    await start();
    await postPolar(polarOrder);
    await delivered(POLAR_ORDER);
    const commission = dub.commissionFor(POLAR_ORDER)!;

    const partial = polarFixtureText('order-refunded-partial');
    await postPolar(partial);
    await settled();
    // Polar also sends refund.created for the same money: ignored, not counted twice.
    const refundCreated = JSON.stringify({
      type: 'refund.created',
      timestamp: '2026-10-05T08:00:00Z',
      data: { id: 'r1', order_id: POLAR_ORDER, amount: 3000 },
    });
    expect(await mappedAck(await postPolar(refundCreated))).toMatchObject({ outcome: 'ignored' });
    // The same cumulative state in another message maps to the same refund key.
    expect(await mappedAck(await postPolar(partial))).toMatchObject({ queued: 0 });
    await settled();
    expect(patches().map((p) => p.body)).toEqual([{ modifySaleAmount: -3000, currency: 'usd' }]);
    expect(commission.amount).toBe(9000 - 3000);

    await postPolar(polarFixtureText('order-refunded-full'));
    await settled();
    expect(patches().at(-1)!.body).toEqual({ status: 'refunded' });
    expect(commission.status).toBe('refunded');
  });

  test('refusals: 401 for bad signatures, 400 for missing headers; nothing stored, nothing sent', async () => {
    await start();
    const now = Math.floor(Date.now() / 1000);
    const headers = polarHeaders(polarOrder);
    const cases: Array<[Record<string, string>, string, number]> = [
      [headers, polarOrder.replace('9000', '1'), 401],
      [polarHeaders(polarOrder, { timestamp: now - 3600 }), polarOrder, 401],
      [polarHeaders(polarOrder, { timestamp: now + 3600 }), polarOrder, 401],
      [polarHeaders(polarOrder, { secret: 'whsec_TestOnlyNotConfiguredPolarSecret0000000099' }), polarOrder, 401],
      [{ ...headers, 'webhook-signature': 'v1,AAAA' }, polarOrder, 401],
      [{ ...headers, 'webhook-id': '' }, polarOrder, 400],
      [{ 'content-type': 'application/json', 'webhook-id': 'm', 'webhook-timestamp': String(now) }, polarOrder, 400],
    ];
    for (const [h, body, status] of cases) expect((await postPolar(body, h)).status).toBe(status);
    expect((await postPolar('{"type":', polarHeaders('{"type":'))).status).toBe(400);
    expect(inboxCount('polar')).toBe(0);
    expect(dub.requests).toHaveLength(0);
  });

  test('a verified event of an unknown type is 200, recorded as ignored (Polar disables failing endpoints)', async () => {
    await start();
    const body = JSON.stringify({ type: 'member.created', timestamp: '2026-10-01T12:00:00Z', data: { id: 'mem_1' } });
    const response = await postPolar(body);
    expect(response.status).toBe(200);
    expect(await mappedAck(response)).toMatchObject({ outcome: 'ignored', reason: 'unhandled event type member.created' });
    expect(bridge.query(`SELECT state, reason FROM inbox WHERE source = 'polar'`)).toEqual([
      { state: 'ignored', reason: 'unhandled event type member.created' },
    ]);
  });
});

const RC_TRANSACTION = '2000000999000001';
const rcPurchase = revenuecatFixtureText('initial-purchase');

describe('RevenueCat over HTTP', () => {
  test('INITIAL_PURCHASE reaches Dub once as a revenuecat sale (redeliveries of event.id, sequential and concurrent, add nothing)', async () => {
    await start();
    expect(await mappedAck(await postRevenueCat(rcPurchase))).toMatchObject({ outcome: 'commands', queued: 1 });
    expect(await (await postRevenueCat(rcPurchase)).json()).toMatchObject({ duplicate: true });
    const burst = await Promise.all(Array.from({ length: 5 }, () => postRevenueCat(rcPurchase)));
    expect(burst.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    await delivered(RC_TRANSACTION);
    await settled();

    expect(sales()).toHaveLength(1);
    expect(sales()[0]!.body).toMatchObject({
      paymentProcessor: 'revenuecat',
      amount: 999,
      currency: 'usd',
      invoiceId: RC_TRANSACTION,
      customerExternalId: 'user_dub_test_42',
      clickId: 'clk_test_revenuecat_1',
      eventName: 'Subscription creation',
      metadata: { source: 'dub-bridge', revenuecatEventId: '00000000-0000-4000-8000-0000000e0001', priceInPurchasedCurrency: '9.99' },
    });
    expect(bridge.query(`SELECT account FROM inbox WHERE source = 'revenuecat'`)).toEqual([{ account: 'app_test_dubbridge01' }]);
  });

  test('a CUSTOMER_SUPPORT cancellation refunds the whole sale: the commission is voided once', async () => {
    await start();
    await postRevenueCat(rcPurchase);
    await delivered(RC_TRANSACTION);
    await postRevenueCat(revenuecatFixtureText('cancellation-refund'));
    await settled();
    // The same refund reported again under a new event id applies nothing more.
    const again = revenuecatFixture('cancellation-refund');
    again.event.id = '00000000-0000-4000-8000-0000000e0a99';
    expect(await mappedAck(await postRevenueCat(JSON.stringify(again)))).toMatchObject({ queued: 0 });
    await settled();
    expect(patches().map((p) => p.body)).toEqual([{ status: 'refunded' }]);
    expect(dub.commissionFor(RC_TRANSACTION)).toMatchObject({ status: 'refunded' });
  });

  test('a partial refund takes its amount off the commission', async () => {
    await start();
    await postRevenueCat(rcPurchase);
    await delivered(RC_TRANSACTION);
    const partial = revenuecatFixture('cancellation-refund');
    partial.event.price_in_purchased_currency = -4;
    await postRevenueCat(JSON.stringify(partial));
    await settled();
    expect(patches().map((p) => p.body)).toEqual([{ modifySaleAmount: -400, currency: 'usd' }]);
    expect(dub.commissionFor(RC_TRANSACTION)).toMatchObject({ amount: 599 });
  });

  test('ignored stores and sandbox under TEST_EVENTS=skip answer 200 and send nothing', async () => {
    await start({ TEST_EVENTS: 'skip', REVENUECAT_IGNORE_STORES: 'PROMOTIONAL,TEST_STORE,STRIPE' });
    const stripeStore = revenuecatFixture('initial-purchase');
    stripeStore.event.store = 'STRIPE';
    const sandbox = revenuecatFixture('renewal-eur');
    sandbox.event.environment = 'SANDBOX';
    expect(await mappedAck(await postRevenueCat(JSON.stringify(stripeStore)))).toMatchObject({
      outcome: 'ignored',
      reason: 'store STRIPE is in REVENUECAT_IGNORE_STORES',
    });
    expect(await mappedAck(await postRevenueCat(JSON.stringify(sandbox)))).toMatchObject({
      outcome: 'ignored',
      reason: 'test event skipped (TEST_EVENTS=skip)',
    });
    await settled();
    expect(dub.requests).toHaveLength(0);
  });

  test('refusals: a missing Authorization is 400, a wrong one 401; nothing stored, nothing sent', async () => {
    await start();
    expect((await postRevenueCat(rcPurchase, revenuecatHeaders(null))).status).toBe(400);
    expect((await postRevenueCat(rcPurchase, revenuecatHeaders('Bearer test-only-revenuecat-auth-9999'))).status).toBe(401);
    expect((await postRevenueCat(rcPurchase, revenuecatHeaders(REVENUECAT_AUTH.slice(0, -1)))).status).toBe(401);
    expect((await postRevenueCat('{"event":', revenuecatHeaders())).status).toBe(400);
    expect(inboxCount('revenuecat')).toBe(0);
    expect(dub.requests).toHaveLength(0);
  });

  test('a TEST event from the dashboard and an unknown type are 200, recorded as ignored', async () => {
    await start();
    for (const type of ['TEST', 'SOMETHING_NEW']) {
      const event = revenuecatFixture('expiration');
      event.event.type = type;
      event.event.id = `00000000-0000-4000-8000-${type === 'TEST' ? '000000000f01' : '000000000f02'}`;
      const response = await postRevenueCat(JSON.stringify(event));
      expect(response.status).toBe(200);
      expect(await mappedAck(response)).toMatchObject({ outcome: 'ignored', reason: `unhandled event type ${type}` });
    }
    expect(inboxCount('revenuecat')).toBe(2);
  });

  test('without REVENUECAT_WEBHOOK_AUTH the route answers 503 naming the variable', async () => {
    await start({ REVENUECAT_WEBHOOK_AUTH: '' });
    const response = await postRevenueCat(rcPurchase);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('REVENUECAT_WEBHOOK_AUTH');
  });
});
