import { describe, expect, it } from 'vitest';
import { loadFixture, SHOP } from '../fixtures/shopify/harness.js';
import { waitFor } from '../helpers/child-bridge.js';
import { outboxStates, rig, type Rig } from './setup.js';
import { checkoutEvent } from './stripe-events.js';

const DAY = 86_400_000;

/** An orders/paid for one customer of the shop, with a Dub click so the sale carries name and email. */
function order(orderId: number, customerId: number, email: string, first: string) {
  const payload = loadFixture('orders-paid');
  Object.assign(payload, { id: orderId, admin_graphql_api_id: `gid://shopify/Order/${orderId}`, email, name: `#${orderId}` });
  Object.assign(payload.customer, { id: customerId, admin_graphql_api_id: `gid://shopify/Customer/${customerId}`, email, first_name: first });
  return payload;
}

/** Every stored place personal data could sit, as one text to search. */
const storedText = (r: Rig) => JSON.stringify([r.db.all('SELECT payload FROM inbox'), r.db.all('SELECT command, last_error, response FROM outbox')]);

describe('Shopify compliance webhooks scrub stored personal data', { timeout: 60_000 }, () => {
  it('customers/redact scrubs one customer, shop/redact the whole shop; both are logged, as is a data request', async () => {
    const r = await rig();
    const bridge = await r.start();
    const post = (topic: string, body: object) => bridge.postShopify(body, { topic, shop: SHOP });
    // Record first: the 200 means stored; the request is carried out right after, by the mapper.
    const mapped = async (response: Response) => {
      expect(response.status).toBe(200);
      await waitFor(() => r.db.get(`SELECT count(*) AS n FROM inbox WHERE state = 'received'`).n === 0, 15_000, 'events mapped');
    };
    expect((await post('orders/paid', order(5412345678901, 6912345678901, 'lukas@example.de', 'Lukas'))).status).toBe(200);
    expect((await post('customers/create', { id: 6912345678901, email: 'lukas@example.de', first_name: 'Lukas', last_name: 'Weber' })).status).toBe(200);
    expect((await post('orders/paid', order(5412345678902, 6912345678902, 'mia@example.de', 'Mia'))).status).toBe(200);
    await waitFor(() => !outboxStates(r).pending, 15_000, 'deliveries');
    expect(storedText(r)).toContain('lukas@example.de');

    await mapped(await post('customers/data_request', loadFixture('customers-data-request')));
    await mapped(await post('customers/redact', loadFixture('customers-redact')));

    const text = storedText(r);
    expect(text).not.toContain('lukas@example.de');
    expect(text).not.toContain('Lukas');
    expect(text).toContain('mia@example.de');
    const lukasOrder = r.db.get(`SELECT * FROM outbox WHERE idempotency_key LIKE '%5412345678901'`);
    expect(JSON.parse(lukasOrder.command).body).toMatchObject({ invoiceId: 'gid://shopify/Order/5412345678901', amount: expect.any(Number) });
    expect(lukasOrder.state).toBe('delivered');
    expect(r.db.all(`SELECT event_type, state FROM inbox WHERE payload IS NULL ORDER BY id`)).toEqual([
      { event_type: 'orders/paid', state: 'redacted' },
      { event_type: 'customers/create', state: 'redacted' },
      { event_type: 'customers/data_request', state: 'redacted' },
      { event_type: 'customers/redact', state: 'compliance' },
    ]);

    await mapped(await post('shop/redact', loadFixture('shop-redact')));
    expect(storedText(r)).not.toMatch(/@example\.de/);
    expect(r.db.get('SELECT count(*) AS n FROM inbox WHERE payload IS NOT NULL').n).toBe(0);
    expect(r.db.all('SELECT action, shop, scrubbed_inbox, scrubbed_outbox FROM compliance_log ORDER BY id')).toEqual([
      { action: 'data_request', shop: SHOP, scrubbed_inbox: 0, scrubbed_outbox: 0 },
      { action: 'redact_customer', shop: SHOP, scrubbed_inbox: 3, scrubbed_outbox: 2 },
      { action: 'redact_shop', shop: SHOP, scrubbed_inbox: 5, scrubbed_outbox: 3 },
    ]);
  });
});

describe('retention (RETENTION_DAYS)', { timeout: 60_000 }, () => {
  it('drops old raw payloads and strips names and emails from old delivered commands, keeping them as an audit trail', async () => {
    const r = await rig();
    let bridge = await r.start();
    const old = checkoutEvent('retention', 1);
    const recent = checkoutEvent('retention', 2);
    for (const event of [old, recent]) expect((await bridge.postStripe(event.body)).status).toBe(200);
    await waitFor(() => outboxStates(r).delivered === 2, 15_000, 'deliveries');
    expect(await bridge.kill('SIGTERM')).toEqual({ code: 0, signal: null });

    // 31 days pass for the first event.
    const inboxId = r.db.get('SELECT id FROM inbox WHERE event_key = ?', old.id).id;
    r.db.run('UPDATE inbox SET received_at = received_at - ? WHERE id = ?', 31 * DAY, inboxId);
    r.db.run('UPDATE outbox SET created_at = created_at - ? WHERE inbox_id = ?', 31 * DAY, inboxId);

    bridge = await r.start({ RETENTION_DAYS: '30' });
    expect(bridge.logs.find((l) => l.msg === 'retention: personal data pruned')).toMatchObject({ payloads: 1, commands: 1 });
    const rows = r.db.all(`SELECT i.event_key, i.payload IS NULL AS pruned, o.state, o.command FROM outbox o JOIN inbox i ON i.id = o.inbox_id ORDER BY o.id`);
    expect(rows.map((row) => [row.event_key, row.pruned, row.state])).toEqual([
      [old.id, 1, 'delivered'],
      [recent.id, 0, 'delivered'],
    ]);
    const [oldBody, recentBody] = rows.map((row) => JSON.parse(row.command).body);
    expect(oldBody).not.toHaveProperty('customerEmail');
    expect(oldBody).not.toHaveProperty('customerName');
    expect(oldBody).toMatchObject({ invoiceId: old.invoiceId, amount: 10000, currency: 'usd', customerExternalId: old.customer });
    expect(recentBody).toMatchObject({ customerEmail: 'ada@example.com', customerName: 'Ada Lovelace' });
  });
});
