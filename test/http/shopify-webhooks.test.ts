import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { eventually, mappedAck } from '../helpers/bridge.js';
import { bridgeWithFakeDub } from '../helpers/bridge-with-dub.js';

/**
 * MAPPING.md's Shopify rules end to end. Bodies are sent as the exact fixture text, as Shopify
 * sends them: 19-digit ids that JSON.parse would round must still reach Dub exactly.
 */
const SHOP = 'partner-goods.myshopify.com';
const raw = (name: string) => readFileSync(new URL(`../fixtures/shopify/${name}.json`, import.meta.url), 'utf8');

const ctx = bridgeWithFakeDub();

const post = (topic: string, fixture: string, extra: { eventId?: string | null; webhookId?: string; shop?: string } = {}) =>
  ctx.bridge.postShopify(raw(fixture), { topic, shop: extra.shop ?? SHOP, ...extra });
const saleCalls = () => ctx.dub.calls('POST', '/track/sale');
const settled = () => eventually(() => ctx.bridge.query(`SELECT count(*) AS n FROM outbox WHERE state = 'pending'`)[0].n === 0);

describe('orders/paid', () => {
  test('a USD order is a sale of the subtotal after discounts, without shipping and tax, with exact large ids', async () => {
    const response = await post('orders/paid', 'orders-paid');
    expect(response.status).toBe(200);
    const [sale] = await eventually(() => saleCalls().length === 1 && saleCalls());
    expect(sale!.body).toMatchObject({
      customerExternalId: '7234567890123456789',
      amount: 19999,
      currency: 'usd',
      paymentProcessor: 'shopify',
      eventName: 'Purchase',
      invoiceId: 'gid://shopify/Order/5934567890123456789',
      clickId: 'cK9x2LmP4qRsT7uV',
      metadata: { source: 'dub-bridge', orderName: '#1001', shopDomain: SHOP },
    });
  });

  test('a presentment currency different from the shop currency: Dub gets the shop money, metadata the presentment', async () => {
    await post('orders/paid', 'orders-paid-multicurrency');
    const [sale] = await eventually(() => saleCalls().length === 1 && saleCalls());
    expect(sale!.body).toMatchObject({ amount: 10870, currency: 'usd', clickId: 'LnD1ngCl1ck' });
    expect(sale!.body.metadata).toMatchObject({ presentmentAmount: '100.00', presentmentCurrency: 'EUR' });
  });

  test('JPY "1000" is 1000 Dub units; a guest order is keyed by its email', async () => {
    await post('orders/paid', 'orders-paid-jpy');
    const [sale] = await eventually(() => saleCalls().length === 1 && saleCalls());
    expect(sale!.body).toMatchObject({ amount: 1000, currency: 'jpy', customerExternalId: 'guest@example.jp', clickId: 'jpCl1ck42' });
  });

  test('KWD "12.345" rounds half up to 1235 cents and keeps the exact amount in metadata', async () => {
    ctx.dub.knowCustomer('6812345678901');
    await post('orders/paid', 'orders-paid-kwd');
    const [sale] = await eventually(() => saleCalls().length === 1 && saleCalls());
    expect(sale!.body).toMatchObject({ amount: 1235, currency: 'kwd', customerExternalId: '6812345678901' });
    expect(sale!.body.metadata).toMatchObject({ originalAmount: '12.345' });
  });

  test('orders/create is acknowledged and ignored', async () => {
    const response = await post('orders/create', 'orders-paid');
    expect(await mappedAck(response)).toMatchObject({ outcome: 'ignored', reason: 'unhandled topic orders/create' });
    expect(ctx.dub.requests).toHaveLength(0);
  });
});

describe('customers', () => {
  test('customers/update patches the Dub customer; one Dub does not know is recorded as skipped', async () => {
    ctx.dub.knowCustomer('6912345678901');
    await post('customers/update', 'customers-update');
    await post('customers/create', 'customers-create');
    await settled();
    const patches = ctx.dub.calls('PATCH', '/customers/');
    expect(patches.map((r) => r.path).sort()).toEqual(['/customers/ext_6912345678901', '/customers/ext_7234567890123456789']);
    expect(patches.find((r) => r.path.endsWith('6912345678901'))!.body).toEqual({ name: 'Lukas Becker', email: 'lukas.becker@example.de' });
    expect(ctx.bridge.query('SELECT customer_key, state FROM outbox ORDER BY id')).toEqual([
      { customer_key: '6912345678901', state: 'delivered' },
      { customer_key: '7234567890123456789', state: 'skipped' },
    ]);
  });
});

describe('compliance topics', () => {
  test('customers/redact scrubs the stored payloads and Dub commands of that customer, and logs it', async () => {
    await post('orders/paid', 'orders-paid-multicurrency');
    await post('customers/update', 'customers-update');
    await post('orders/paid', 'orders-paid'); // another customer, must stay
    await settled();
    const response = await post('customers/redact', 'customers-redact');
    expect(await mappedAck(response)).toMatchObject({ outcome: 'compliance', action: 'redact_customer' });
    expect(ctx.dub.requests.filter((r) => r.path.includes('redact'))).toHaveLength(0);

    const stored = ctx.bridge.query(`SELECT event_type, payload IS NULL AS scrubbed FROM inbox WHERE event_type <> 'customers/redact' ORDER BY id`);
    expect(stored).toEqual([
      { event_type: 'orders/paid', scrubbed: 1 },
      { event_type: 'customers/update', scrubbed: 1 },
      { event_type: 'orders/paid', scrubbed: 0 },
    ]);
    const commands = ctx.bridge.query<{ command: string }>('SELECT command FROM outbox ORDER BY id').map((r) => r.command);
    expect(commands[0]).not.toContain('lukas');
    expect(commands[1]).not.toContain('lukas');
    expect(commands[2]).toContain('jane.doe@example.com');
    expect(ctx.bridge.query('SELECT action, shop, scrubbed_inbox FROM compliance_log')).toEqual([{ action: 'redact_customer', shop: SHOP, scrubbed_inbox: 2 }]);
  });

  test('shop/redact scrubs everything stored for the shop; customers/data_request is recorded', async () => {
    await mappedAck(await post('orders/paid', 'orders-paid'));
    await mappedAck(await post('customers/data_request', 'customers-data-request'));
    await mappedAck(await post('shop/redact', 'shop-redact'));
    expect(ctx.bridge.query(`SELECT count(*) AS n FROM inbox WHERE event_type = 'orders/paid' AND payload IS NOT NULL`)[0].n).toBe(0);
    expect(ctx.bridge.query('SELECT action FROM compliance_log ORDER BY id').map((r: any) => r.action)).toEqual(['data_request', 'redact_shop']);
  });

  test('a compliance request naming another shop, or missing its fields, is refused with 400 and nothing is stored', async () => {
    const other = raw('customers-redact').replace(SHOP, 'someone-else.myshopify.com');
    const foreign = await ctx.bridge.postShopify(other, { topic: 'customers/redact', shop: SHOP });
    const incomplete = await ctx.bridge.postShopify(JSON.stringify({ shop_domain: SHOP }), { topic: 'shop/redact', shop: SHOP });
    expect([foreign.status, incomplete.status]).toEqual([400, 400]);
    expect(JSON.stringify(await foreign.json())).toContain('not the X-Shopify-Shop-Domain');
    expect(JSON.stringify(await incomplete.json())).toContain('shop_id');
    expect(ctx.bridge.query('SELECT count(*) AS n FROM inbox')[0].n).toBe(0);
  });

  test('customers/redact scrubs a guest order named in orders_to_redact, its command and its refund; others stay', async () => {
    // A guest checkout: no customer, so the bridge's customer id is the email.
    const guest = JSON.parse(raw('orders-paid'));
    guest.customer = null;
    guest.id = 5412345678901;
    guest.admin_graphql_api_id = 'gid://shopify/Order/5412345678901';
    await mappedAck(await ctx.bridge.postShopify(JSON.stringify(guest), { topic: 'orders/paid', shop: SHOP }));
    await mappedAck(await post('orders/paid', 'orders-paid')); // another order of another customer, must stay
    await settled();
    await mappedAck(await post('refunds/create', 'refunds-create')); // a refund of the guest order (order_id 5412345678901)
    const redact = JSON.parse(raw('customers-redact'));
    redact.customer = { id: null, email: 'someone.else@example.com' };
    expect(await mappedAck(await ctx.bridge.postShopify(JSON.stringify(redact), { topic: 'customers/redact', shop: SHOP }))).toMatchObject({
      outcome: 'compliance',
    });
    const stored = ctx.bridge.query(`SELECT event_type, payload IS NULL AS scrubbed FROM inbox WHERE event_type <> 'customers/redact' ORDER BY id`);
    expect(stored).toEqual([
      { event_type: 'orders/paid', scrubbed: 1 },
      { event_type: 'orders/paid', scrubbed: 0 },
      { event_type: 'refunds/create', scrubbed: 1 },
    ]);
    const [guestSale, otherSale] = ctx.bridge.query<{ command: string }>(`SELECT command FROM outbox WHERE kind = 'sale' ORDER BY id`).map((r) => r.command);
    expect(guestSale).not.toContain('jane.doe@example.com');
    expect(otherSale).toContain('jane.doe@example.com');
  });

  test('a compliance topic with a bad HMAC answers 401', async () => {
    const response = await ctx.bridge.postShopify(raw('customers-redact'), { topic: 'customers/redact', shop: SHOP, hmac: 'AAAA' + 'A'.repeat(40) });
    expect(response.status).toBe(401);
    expect(ctx.bridge.query('SELECT count(*) AS n FROM inbox')[0].n).toBe(0);
  });
});

describe('deduplication keys', () => {
  test('a captured body sent again under a fresh X-Shopify-Event-Id is a duplicate (the id is an unsigned header)', async () => {
    await mappedAck(await post('orders/paid', 'orders-paid', { eventId: 'evt-original' }));
    const replayed = await post('orders/paid', 'orders-paid', { eventId: 'evt-forged-fresh-id', webhookId: 'wh-forged' });
    expect(await replayed.json()).toMatchObject({ received: true, duplicate: true });
    expect(ctx.bridge.query('SELECT count(*) AS n FROM inbox')[0].n).toBe(1);
    await settled();
    expect(saleCalls()).toHaveLength(1);
  });

  test('the same X-Shopify-Event-Id is one event; without it, X-Shopify-Webhook-Id is the key', async () => {
    await post('orders/paid', 'orders-paid', { eventId: 'evt-a' });
    const again = await post('orders/paid', 'orders-paid', { eventId: 'evt-a' });
    expect(await again.json()).toEqual({ received: true, duplicate: true, inboxId: expect.any(Number) });
    await post('customers/update', 'customers-update', { eventId: null, webhookId: 'wh-1' });
    const retry = await post('customers/update', 'customers-update', { eventId: null, webhookId: 'wh-1' });
    expect(await retry.json()).toEqual({ received: true, duplicate: true, inboxId: expect.any(Number) });
    expect(ctx.bridge.query('SELECT event_key FROM inbox ORDER BY id')).toEqual([
      { event_key: `${SHOP}:orders/paid:evt-a` },
      { event_key: `${SHOP}:customers/update:wh-1` },
    ]);
  });

  test('a second orders/paid delivery for the same order under a new event id still sends one sale', async () => {
    await post('orders/paid', 'orders-paid', { eventId: 'evt-1' });
    // A genuinely new event about the same order differs in content (here: updated_at).
    const later = raw('orders-paid').replace('"updated_at": "2025-03-14T10:21:09-04:00"', '"updated_at": "2025-03-14T10:25:00-04:00"');
    await ctx.bridge.postShopify(later, { topic: 'orders/paid', shop: SHOP, eventId: 'evt-2' });
    await settled();
    expect(saleCalls()).toHaveLength(1);
    expect(ctx.bridge.query('SELECT count(*) AS n FROM inbox')[0].n).toBe(2);
  });
});
