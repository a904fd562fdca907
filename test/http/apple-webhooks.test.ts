import { afterEach, describe, expect, test } from 'vitest';
import { appleFixture, inSandbox, type AppleFixture } from '../fixtures/apple/index.js';
import { eventually, mappedAck, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { startFakeDub, type FakeDub } from '../helpers/fake-dub.js';
import { appleNotificationBody, appleTestPki, type BodyOptions } from '../helpers/signers/apple.js';

/**
 * App Store Server Notifications V2 end to end: notifications signed by a throwaway CA (trusted
 * through APPLE_ROOT_CERTS), posted to the real Node bridge (real SQLite file), delivered to a
 * fake Dub.
 */
const pki = appleTestPki();
const TOKEN = '7e3fb20b-4cdb-47cc-936d-99d65f608138';
const INITIAL_BUY = '2000000000000001';

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
    APPLE_BUNDLE_ID: 'com.example',
    APPLE_APP_APPLE_ID: '1234567890',
    APPLE_ROOT_CERTS: pki.rootPath,
    ...env,
  });
}

/** What Dub's iOS SDK does after sign-up: `trackLead` with the stored click id and the user's id. */
const trackLeadFromApp = (customerExternalId: string) =>
  fetch(`${dub.url}/track/lead`, {
    method: 'POST',
    headers: { authorization: `Bearer ${dub.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ clickId: 'clk_test_ios_1', eventName: 'Sign up', customerExternalId }),
  });

const postApple = (body: string) => fetch(`${bridge.url}/webhooks/apple`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
const signed = (fixture: AppleFixture, options?: BodyOptions) => appleNotificationBody(fixture, options);
/** The same App Store event in a new notification (Apple's notificationUUID differs). */
const renotified = (fixture: AppleFixture) => {
  fixture.notification.notificationUUID = crypto.randomUUID();
  return fixture;
};

const sales = () => dub.calls('POST', '/track/sale');
const patches = () => dub.calls('PATCH', '/commissions/');
const inbox = () =>
  bridge.query<{ event_type: string; account: string; state: string }>(`SELECT event_type, account, state FROM inbox WHERE source = 'apple' ORDER BY id`);
const settled = () => eventually(() => bridge.query<{ n: number }>(`SELECT count(*) AS n FROM outbox WHERE state = 'pending'`)[0]!.n === 0);
const delivered = (invoiceId: string) =>
  eventually(
    () =>
      bridge.query<{ state: string }>(`SELECT o.state FROM sale_ledger l JOIN outbox o ON o.id = l.outbox_id WHERE l.invoice_id = ?`, invoiceId)[0]?.state ===
      'delivered',
  );

describe('App Store over HTTP', () => {
  test('SUBSCRIBED reaches Dub once as an apple sale (retries, a concurrent burst and a second notification of the same transaction add nothing)', async () => {
    await start();
    await trackLeadFromApp(TOKEN);
    const body = signed(appleFixture('subscribed-initial-buy'));
    const first = await postApple(body);
    expect(first.status).toBe(200);
    expect(await mappedAck(first)).toMatchObject({ outcome: 'commands', queued: 1 });
    // Apple retries the same notification (same notificationUUID).
    expect(await (await postApple(body)).json()).toMatchObject({ duplicate: true });
    const burst = await Promise.all(Array.from({ length: 4 }, () => postApple(body)));
    expect(burst.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(await mappedAck(await postApple(signed(renotified(appleFixture('subscribed-initial-buy')))))).toMatchObject({ queued: 0 });
    await delivered(INITIAL_BUY);
    await settled();

    expect(sales()).toHaveLength(1);
    expect(sales()[0]!.body).toEqual({
      customerExternalId: TOKEN,
      amount: 999,
      currency: 'usd',
      paymentProcessor: 'apple',
      eventName: 'Subscription creation',
      invoiceId: INITIAL_BUY,
      metadata: expect.objectContaining({
        source: 'dub-bridge',
        appleNotificationUUID: '002e14d5-51f5-4503-b5a8-c3a1af68eb20',
        appleTransactionId: INITIAL_BUY,
      }),
    });
    expect(dub.commissionFor(INITIAL_BUY)).toMatchObject({ amount: 999, status: 'pending' });
    expect(inbox()).toEqual([
      { event_type: 'SUBSCRIBED:INITIAL_BUY', account: 'com.example', state: 'mapped' },
      { event_type: 'SUBSCRIBED:INITIAL_BUY', account: 'com.example', state: 'mapped' },
    ]);
  });

  test('renewal and one-time purchase: invoiceId = transactionId, customer apple_<originalTransactionId> without appAccountToken', async () => {
    await start();
    await postApple(signed(appleFixture('did-renew')));
    await postApple(signed(appleFixture('one-time-charge')));
    await settled();
    expect(sales().map((s) => [s.body.invoiceId, s.body.customerExternalId, s.body.eventName, s.body.amount, s.body.currency])).toEqual([
      ['2000000000000002', 'apple_2000000000000001', 'Subscription renewal', 999, 'usd'],
      ['2000000000000003', TOKEN, 'Purchase', 160, 'jpy'],
    ]);
  });

  test('REFUND: a prorated refund takes its share off the commission once; the full refund voids it', async () => {
    await start();
    await trackLeadFromApp(TOKEN);
    await postApple(signed(appleFixture('subscribed-initial-buy')));
    await delivered(INITIAL_BUY);

    const prorated = appleFixture('refund-prorated');
    Object.assign(prorated.transaction!, { transactionId: INITIAL_BUY, transactionReason: 'PURCHASE' });
    expect((await postApple(signed(prorated))).status).toBe(200);
    await settled();
    // The same refund state in another notification is the same refund key.
    expect(await mappedAck(await postApple(signed(renotified(structuredClone(prorated)))))).toMatchObject({ queued: 0 });
    await settled();
    // 999 × 33.333 % = 332.99… → 333 off.
    expect(patches().map((p) => p.body)).toEqual([{ modifySaleAmount: -333, currency: 'usd' }]);
    expect(dub.commissionFor(INITIAL_BUY)!.amount).toBe(999 - 333);

    await postApple(signed(appleFixture('refund-full')));
    await settled();
    expect(patches().at(-1)!.body).toEqual({ status: 'refunded' });
    expect(dub.commissionFor(INITIAL_BUY)!.status).toBe('refunded');
  });

  test('refusals: 401 for anything that does not verify, 400 for a body without signedPayload; nothing stored, nothing sent', async () => {
    await start();
    const purchase = () => appleFixture('subscribed-initial-buy');
    const wrongBundle = purchase();
    wrongBundle.notification.data.bundleId = 'com.other.app';
    const wrongApp = purchase();
    wrongApp.notification.data.appAppleId = 42;
    const jws = JSON.parse(signed(purchase())).signedPayload as string;
    const cases: Array<[string, number]> = [
      [JSON.stringify({ signedPayload: `${jws.slice(0, -4)}AAAA` }), 401],
      [signed(purchase(), { chain: pki.unknownRoot }), 401],
      [signed(purchase(), { chain: pki.leafWithoutOid }), 401],
      [signed(purchase(), { x5c: pki.valid.x5c.slice(0, 2) }), 401],
      [signed(purchase(), { alg: 'ES384' }), 401],
      [signed(purchase(), { signedDate: Date.now() + 90 * 86_400_000 }), 401],
      [signed(wrongBundle), 401],
      [signed(wrongApp), 401],
      [signed(purchase(), { transactionJws: (t) => t.replace(/\.[^.]+$/, '.AAAA') }), 401],
      [JSON.stringify({ signedPayload: '@@@.@@@.@@@' }), 401],
      [JSON.stringify({ notification_type: 'INITIAL_BUY', unified_receipt: {} }), 400],
      ['{"signedPayload":', 400],
    ];
    for (const [body, status] of cases) expect((await postApple(body)).status).toBe(status);
    expect(inbox()).toEqual([]);
    expect(dub.requests).toHaveLength(0);
  });

  test('an unmapped notification type and the TEST notification are 200, recorded as ignored', async () => {
    await start();
    for (const [fixture, type] of [
      [appleFixture('did-change-renewal-status'), 'DID_CHANGE_RENEWAL_STATUS'],
      [appleFixture('test'), 'TEST'],
    ] as const) {
      const response = await postApple(signed(fixture));
      expect(response.status).toBe(200);
      expect(await mappedAck(response)).toMatchObject({ outcome: 'ignored', reason: `unhandled event type ${type}` });
    }
    expect(inbox().map((row) => [row.event_type, row.state])).toEqual([
      ['DID_CHANGE_RENEWAL_STATUS:AUTO_RENEW_DISABLED', 'ignored'],
      ['TEST', 'ignored'],
    ]);
    expect(dub.requests).toHaveLength(0);
  });

  test('Sandbox under TEST_EVENTS=skip is 200 and sends nothing', async () => {
    await start({ TEST_EVENTS: 'skip' });
    const response = await postApple(signed(inSandbox(appleFixture('subscribed-initial-buy'))));
    expect(await mappedAck(response)).toMatchObject({ outcome: 'ignored', reason: 'test event skipped (TEST_EVENTS=skip)' });
    expect(dub.requests).toHaveLength(0);
  });

  test('without APPLE_BUNDLE_ID the route answers 503 naming the variable', async () => {
    await start({ APPLE_BUNDLE_ID: '' });
    const response = await postApple(signed(appleFixture('subscribed-initial-buy')));
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('APPLE_BUNDLE_ID');
  });
});
