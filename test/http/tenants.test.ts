import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { stripeFixture } from '../fixtures/stripe/index.js';
import { eventually, mappedAck, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { startFakeDub, type FakeDub } from '../helpers/fake-dub.js';
import { stripeSignature } from '../helpers/signers.js';
import { loadFixture } from '../fixtures/shopify/harness.js';

/**
 * Several stores behind one bridge: two Shopify shops and two Stripe accounts, routed by shop
 * domain, Connect `account` and endpoint path to two Dub workspaces (two API keys on one fake Dub).
 */
const NORTH_KEY = 'north_workspace_key_0001'; // no dub_ prefix: only value masking keeps it out of logs
const SOUTH_KEY = 'dub_south_workspace_key_0001';
const NORTH_SHOPIFY = 'north-app-secret-0123456789abcdef';
const SOUTH_SHOPIFY = 'shpss_south_app_secret_for_dub_bridge_0001';
const PLATFORM_WHSEC = 'whsec_connect_platform_endpoint_0001';
const SOUTH_WHSEC = 'whsec_south_own_endpoint_secret_0001';
const NORTH_SHOP = 'north-goods.myshopify.com';
const SOUTH_SHOP = 'south-goods.myshopify.com';

const tenantsFile = {
  tenants: [
    {
      id: 'north',
      dubApiKey: NORTH_KEY,
      shopify: { shops: [NORTH_SHOP], apiSecret: NORTH_SHOPIFY },
      stripe: { accounts: ['acct_1NorthConnected'], webhookSecret: PLATFORM_WHSEC },
    },
    {
      id: 'south',
      dubApiKey: SOUTH_KEY,
      testEvents: 'skip',
      shopify: { shops: [SOUTH_SHOP], apiSecret: [SOUTH_SHOPIFY] },
      stripe: { webhookSecret: SOUTH_WHSEC },
    },
  ],
};

let dir: string;
let dub: FakeDub;
let bridge: TestBridge;

function writeTenants(content: unknown): string {
  const path = join(dir, `tenants-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const checkout = (id: string, paymentIntent: string, extra: Record<string, unknown> = {}) => {
  const event = stripeFixture('checkout-session-completed-payment');
  event.data.object.payment_intent = paymentIntent;
  return { ...event, id, ...extra };
};

const order = (id: number, extra: Record<string, unknown> = {}) => ({
  ...loadFixture('orders-paid'),
  id,
  admin_graphql_api_id: `gid://shopify/Order/${id}`,
  ...extra,
});

async function postStripeTo(path: string, event: object, secret: string) {
  const body = JSON.stringify(event);
  const signature = await stripeSignature(body, { secret });
  return fetch(`${bridge.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body });
}

const sales = () => dub.calls('POST', '/track/sale');
const keyOf = (invoiceId: string) => sales().find((r) => r.body.invoiceId === invoiceId)?.headers.authorization;
const settled = () => eventually(() => bridge.query(`SELECT count(*) AS n FROM outbox WHERE state = 'pending'`)[0].n === 0);
const stored = () => bridge.query<{ n: number }>('SELECT (SELECT count(*) FROM inbox) + (SELECT count(*) FROM outbox) AS n')[0]!.n;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dub-bridge-tenants-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a tenants file with no env webhook secrets', () => {
  beforeAll(async () => {
    dub = await startFakeDub({ otherApiKeys: [NORTH_KEY, SOUTH_KEY] });
    bridge = await startTestBridge({
      DUB_API_KEY: dub.apiKey,
      DUB_API_URL: dub.url,
      STRIPE_WEBHOOK_SECRET: undefined,
      SHOPIFY_API_SECRET: undefined,
      TEST_EVENTS: 'tag',
      TENANTS_FILE: writeTenants(tenantsFile),
    });
  });
  afterAll(async () => {
    await bridge.close();
    await dub.close();
  });

  test('two shops reach two Dub workspaces, each verified with its own app secret', async () => {
    const north = await bridge.postShopify(order(1001), { topic: 'orders/paid', shop: NORTH_SHOP, secret: NORTH_SHOPIFY });
    const south = await bridge.postShopify(order(2002), { topic: 'orders/paid', shop: SOUTH_SHOP, secret: SOUTH_SHOPIFY });
    expect([north.status, south.status]).toEqual([200, 200]);
    await eventually(() => keyOf('gid://shopify/Order/1001') && keyOf('gid://shopify/Order/2002'));
    expect(keyOf('gid://shopify/Order/1001')).toBe(`Bearer ${NORTH_KEY}`);
    expect(keyOf('gid://shopify/Order/2002')).toBe(`Bearer ${SOUTH_KEY}`);
    await settled();
    expect(bridge.query(`SELECT tenant, state FROM outbox WHERE idempotency_key LIKE '%shopify/Order/%' ORDER BY id`)).toEqual([
      { tenant: 'north', state: 'delivered' },
      { tenant: 'south', state: 'delivered' },
    ]);
  });

  test('a Connect event goes to the tenant of its account; an endpoint path names its tenant', async () => {
    const connect = await postStripeTo('/webhooks/stripe', checkout('evt_connect_north_1', 'pi_north_1', { account: 'acct_1NorthConnected' }), PLATFORM_WHSEC);
    const own = await postStripeTo('/webhooks/stripe/south', checkout('evt_south_own_1', 'pi_south_1'), SOUTH_WHSEC);
    expect([connect.status, own.status]).toEqual([200, 200]);
    await eventually(() => keyOf('pi_north_1') && keyOf('pi_south_1'));
    expect(keyOf('pi_north_1')).toBe(`Bearer ${NORTH_KEY}`);
    expect(keyOf('pi_south_1')).toBe(`Bearer ${SOUTH_KEY}`);
    expect(bridge.query(`SELECT tenant FROM outbox WHERE idempotency_key LIKE '%pi_north_1' OR idempotency_key LIKE '%pi_south_1' ORDER BY id`)).toEqual([
      { tenant: 'north' },
      { tenant: 'south' },
    ]);
  });

  test('an unknown shop, account or path tenant is refused with 404 unknown_tenant and nothing is stored', async () => {
    await settled();
    const before = stored();
    const requests = dub.requests.length;
    const shop = await bridge.postShopify(order(3003), { topic: 'orders/paid', shop: 'stranger.myshopify.com', secret: NORTH_SHOPIFY });
    const account = await postStripeTo('/webhooks/stripe', checkout('evt_stranger_1', 'pi_stranger_1', { account: 'acct_1Stranger' }), PLATFORM_WHSEC);
    const noAccount = await postStripeTo('/webhooks/stripe', checkout('evt_stranger_2', 'pi_stranger_2'), PLATFORM_WHSEC);
    const path = await postStripeTo('/webhooks/stripe/nobody', checkout('evt_stranger_3', 'pi_stranger_3'), SOUTH_WHSEC);
    for (const response of [shop, account, noAccount, path]) {
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'unknown_tenant', requestId: expect.any(String) } });
    }
    expect(stored()).toBe(before);
    expect(dub.requests.length).toBe(requests);
  });

  test("one tenant's secret cannot send into another tenant's workspace", async () => {
    const before = stored();
    // South's own endpoint secret, naming north's connected account.
    const stripe = await postStripeTo('/webhooks/stripe', checkout('evt_forged_1', 'pi_forged_1', { account: 'acct_1NorthConnected' }), SOUTH_WHSEC);
    const shopify = await bridge.postShopify(order(4004), { topic: 'orders/paid', shop: NORTH_SHOP, secret: SOUTH_SHOPIFY });
    const path = await postStripeTo('/webhooks/stripe/south', checkout('evt_forged_2', 'pi_forged_2'), PLATFORM_WHSEC);
    expect([stripe.status, shopify.status, path.status]).toEqual([401, 401, 401]);
    expect(stored()).toBe(before);
  });

  test('each tenant applies its own test-event policy (north inherits TEST_EVENTS=tag, south skips)', async () => {
    await bridge.postShopify(order(5005, { test: true }), { topic: 'orders/paid', shop: NORTH_SHOP, secret: NORTH_SHOPIFY });
    const south = await bridge.postShopify(order(6006, { test: true }), { topic: 'orders/paid', shop: SOUTH_SHOP, secret: SOUTH_SHOPIFY });
    expect(await mappedAck(south)).toMatchObject({ outcome: 'ignored', reason: 'test event skipped (TEST_EVENTS=skip)' });
    const tagged = (await eventually(() => sales().find((r) => r.body.invoiceId === 'gid://shopify/Order/5005')))!;
    expect(tagged.body.metadata).toMatchObject({ testEvent: true });
    expect(tagged.headers.authorization).toBe(`Bearer ${NORTH_KEY}`);
  });

  test("a tenant's Dub key that Dub echoes in an error is masked in the logs", async () => {
    dub.fail('sale', { status: 422, body: { error: { code: 'unprocessable_entity', message: `key ${NORTH_KEY} may not track this sale` } } });
    await bridge.postShopify(order(7007), { topic: 'orders/paid', shop: NORTH_SHOP, secret: NORTH_SHOPIFY });
    // The log line follows the dead-letter mark's fsync; the row reads as dead a moment before.
    await eventually(() => bridge.logs.some((line) => line.includes('dead-lettered')));
    expect(bridge.query(`SELECT state FROM outbox WHERE idempotency_key LIKE '%Order/7007'`)[0]?.state).toBe('dead');
    const logs = bridge.logs.join('\n');
    expect(logs).toContain('may not track this sale');
    for (const secret of [NORTH_KEY, SOUTH_KEY, NORTH_SHOPIFY, SOUTH_SHOPIFY, PLATFORM_WHSEC, SOUTH_WHSEC]) expect(logs).not.toContain(secret);
  });
});

describe('TEST_EVENTS with the env settings alone', () => {
  afterEach(async () => {
    await bridge.close();
    await dub.close();
  });

  const testOrder = () => order(8008, { test: true });
  const testCheckout = () => ({ ...checkout('evt_test_mode_1', 'pi_test_mode_1'), livemode: false });

  async function sendTestEvents(mode: string) {
    dub = await startFakeDub();
    bridge = await startTestBridge({ DUB_API_KEY: dub.apiKey, DUB_API_URL: dub.url, TEST_EVENTS: mode });
    const answers = [await bridge.postStripe(testCheckout()), await bridge.postShopify(testOrder(), { topic: 'orders/paid' })];
    return Promise.all(answers.map((r) => mappedAck(r)));
  }

  test('forward (the default): test events reach Dub untagged', async () => {
    await sendTestEvents('forward');
    await eventually(() => sales().length === 2);
    for (const sale of sales()) expect(sale.body.metadata.testEvent).toBeUndefined();
  });

  test('skip: test events are recorded as ignored and Dub hears nothing', async () => {
    const answers = await sendTestEvents('skip');
    expect(answers).toEqual([
      expect.objectContaining({ outcome: 'ignored', reason: 'test event skipped (TEST_EVENTS=skip)', queued: 0 }),
      expect.objectContaining({ outcome: 'ignored', reason: 'test event skipped (TEST_EVENTS=skip)', queued: 0 }),
    ]);
    expect(bridge.query(`SELECT state FROM inbox`)).toEqual([{ state: 'ignored' }, { state: 'ignored' }]);
    expect(dub.requests).toHaveLength(0);
  });

  test('tag: test events reach Dub with metadata.testEvent = true', async () => {
    await sendTestEvents('tag');
    await eventually(() => sales().length === 2);
    expect(sales().map((s) => [s.body.invoiceId, s.body.metadata.testEvent])).toEqual(
      expect.arrayContaining([
        ['pi_test_mode_1', true],
        ['gid://shopify/Order/8008', true],
      ]),
    );
  });
});

describe('UNLISTED_TENANTS with a tenants file and env secrets', () => {
  afterEach(async () => {
    await bridge.close();
    await dub.close();
  });

  async function startWith(extra: Record<string, string>) {
    dub = await startFakeDub({ otherApiKeys: [NORTH_KEY, SOUTH_KEY] });
    bridge = await startTestBridge({ DUB_API_KEY: dub.apiKey, DUB_API_URL: dub.url, TENANTS_FILE: writeTenants(tenantsFile), ...extra });
  }

  test('reject (the default once a tenants file is set): a shop or Connect account no tenant lists is 404, nothing stored', async () => {
    await startWith({});
    const shop = await bridge.postShopify(order(9009), { topic: 'orders/paid', shop: 'unlisted.myshopify.com' });
    const account = await bridge.postStripe(checkout('evt_unlisted_1', 'pi_unlisted_1', { account: 'acct_1Unlisted' }));
    expect([shop.status, account.status]).toEqual([404, 404]);
    expect(stored()).toBe(0);
  });

  test('default: the env settings take them (and the env Dub key delivers them)', async () => {
    await startWith({ UNLISTED_TENANTS: 'default' });
    const shop = await bridge.postShopify(order(9010), { topic: 'orders/paid', shop: 'unlisted.myshopify.com' });
    expect(shop.status).toBe(200);
    await eventually(() => keyOf('gid://shopify/Order/9010'));
    expect(keyOf('gid://shopify/Order/9010')).toBe(`Bearer ${dub.apiKey}`);
  });
});
