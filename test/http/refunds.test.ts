import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { stripeFixture } from '../fixtures/stripe/index.js';
import { eventually, mappedAck, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { startFakeDub, type FakeDub } from '../helpers/fake-dub.js';

/**
 * Refunds end to end (MAPPING.md `refund`): signed webhooks into the real bridge, the sale ledger
 * in a real SQLite file, and the commission changes as the fake Dub received them.
 */
let dub: FakeDub;
let bridge: TestBridge;
const cleanups: Array<() => Promise<void>> = [];

async function start(env: Record<string, string> = {}) {
  dub = await startFakeDub();
  bridge = await startTestBridge({ DUB_API_KEY: dub.apiKey, DUB_API_URL: dub.url, DELIVERY_MAX_BACKOFF_MS: '200', ...env });
  cleanups.push(
    () => bridge.close(),
    () => dub.close(),
  );
}
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const SHOP = 'partner-goods.myshopify.com';
const shopifyRaw = (name: string) => readFileSync(new URL(`../fixtures/shopify/${name}.json`, import.meta.url), 'utf8');
const postShopify = (topic: string, body: string, eventId?: string) => bridge.postShopify(body, { topic, shop: SHOP, ...(eventId ? { eventId } : {}) });

/** The paid one-time checkout (pi_3QyPk…, 10800 with 800 tax: a 10000 USD sale, with a click id). */
const SALE_INVOICE = 'pi_3QyPkQ2eZvKYlo2C1aBcDeFg';
const chargeRefunded = (eventId: string, amountRefunded: number, charge: Record<string, unknown> = {}) => {
  const event = stripeFixture('charge-refunded');
  event.id = eventId;
  Object.assign(event.data.object, { amount_refunded: amountRefunded, refunded: amountRefunded >= event.data.object.amount }, charge);
  return event;
};

const patches = () => dub.calls('PATCH', '/commissions/');
const refundRows = () =>
  bridge.query<{ key: string; state: string; response: string | null; last_error: string | null; attempts: number }>(
    `SELECT idempotency_key AS key, state, response, last_error, attempts FROM outbox WHERE kind = 'refund' ORDER BY id`,
  );
const settled = () => eventually(() => bridge.query(`SELECT count(*) AS n FROM outbox WHERE state = 'pending'`)[0].n === 0);
const reasonOf = (row: { response: string | null } | undefined) => JSON.parse(row?.response ?? '{}').reason as string | undefined;

async function deliveredSale(invoiceId: string) {
  await eventually(
    () => bridge.query(`SELECT o.state FROM sale_ledger l JOIN outbox o ON o.id = l.outbox_id WHERE l.invoice_id = ?`, invoiceId)[0]?.state === 'delivered',
  );
  return dub.commissionFor(invoiceId)!;
}

async function stripeSale() {
  expect((await bridge.postStripe(stripeFixture('checkout-session-completed-payment'))).status).toBe(200);
  return deliveredSale(SALE_INVOICE);
}

describe('Stripe charge.refunded', () => {
  test('a full refund marks the commission refunded', async () => {
    await start();
    const commission = await stripeSale();
    await bridge.postStripe(chargeRefunded('evt_full_1', 10800));

    await eventually(() => patches().length === 1);
    expect(patches()[0]).toMatchObject({ path: `/commissions/${commission.id}`, body: { status: 'refunded' } });
    await settled();
    expect(commission.status).toBe('refunded');
    expect(refundRows()).toMatchObject([{ key: 'refund:stripe:ch_3QyPkQ2eZvKYlo2C1h2i3j4k:10800', state: 'delivered' }]);
    // The ledger counts in the sale's basis: the whole 10000 sale is refunded.
    expect(bridge.query(`SELECT refunded_sent FROM sale_ledger WHERE invoice_id = ?`, SALE_INVOICE)).toEqual([{ refunded_sent: 10000 }]);
  });

  test('partial refunds delivered out of order and twice take off exactly the largest total', async () => {
    await start();
    const commission = await stripeSale();
    await bridge.postStripe(chargeRefunded('evt_refund_500', 500));
    await eventually(() => refundRows()[0]?.state === 'delivered');
    await bridge.postStripe(chargeRefunded('evt_refund_300', 300));
    // Stripe redelivers both; a second event with the same cumulative total adds no outbox row.
    expect(await (await bridge.postStripe(chargeRefunded('evt_refund_500', 500))).json()).toMatchObject({ duplicate: true });
    expect(await (await bridge.postStripe(chargeRefunded('evt_refund_300', 300))).json()).toMatchObject({ duplicate: true });
    expect(await mappedAck(await bridge.postStripe(chargeRefunded('evt_refund_300_again', 300)))).toMatchObject({ queued: 0 });
    await settled();

    // 500 of the 10800 charge (tax included) is 463 of the 10000 sale.
    expect(patches().map((p) => p.body)).toEqual([{ modifySaleAmount: -463, currency: 'usd' }]);
    expect(commission.amount).toBe(10000 - 463);
    const rows = refundRows();
    expect(rows.map((r) => [r.key, r.state])).toEqual([
      ['refund:stripe:ch_3QyPkQ2eZvKYlo2C1h2i3j4k:500', 'delivered'],
      ['refund:stripe:ch_3QyPkQ2eZvKYlo2C1h2i3j4k:300', 'skipped'],
    ]);
    expect(reasonOf(rows[1])).toMatch(/already applied/);
  });

  test('partial refunds in order take off each new part, and reaching the sale amount voids the commission', async () => {
    await start();
    const commission = await stripeSale();
    for (const [id, total] of [
      ['evt_a', 300],
      ['evt_b', 500],
      ['evt_c', 10000],
    ] as const) {
      await bridge.postStripe(chargeRefunded(id, total));
      await settled();
    }
    // The sale was sent without tax (10000 of the 10800 charge): each cumulative refund is scaled
    // to that basis (300 → 278, 500 → 463, 10000 → 9259) and only the new part is sent.
    expect(patches().map((p) => p.body)).toEqual([
      { modifySaleAmount: -278, currency: 'usd' },
      { modifySaleAmount: -185, currency: 'usd' },
      { modifySaleAmount: -8796, currency: 'usd' },
    ]);
    expect(commission).toMatchObject({ status: 'pending', amount: 741 });
  });

  test('a refund that arrives before its sale waits for the sale, then applies', async () => {
    await start({ DELIVERY_MAX_ATTEMPTS: '100' });
    await bridge.postStripe(chargeRefunded('evt_early', 5400));
    await eventually(() => refundRows()[0]!.attempts >= 1 && refundRows()[0]!.last_error?.includes('no sale recorded'));
    expect(dub.requests).toHaveLength(0);

    const commission = await stripeSale();
    await eventually(() => refundRows()[0]?.state === 'delivered');
    // Half the charge (5400 of 10800, tax included) is half the 10000 sale.
    expect(patches().map((p) => p.body)).toEqual([{ modifySaleAmount: -5000, currency: 'usd' }]);
    expect(commission.amount).toBe(5000);
  });

  test('a refund for a sale never seen is recorded as skipped with the reason', async () => {
    await start({ DELIVERY_MAX_ATTEMPTS: '2' });
    // Newer API versions: the charge names only its payment intent, and no STRIPE_API_KEY is set.
    await bridge.postStripe(chargeRefunded('evt_orphan', 1000, { payment_intent: 'pi_3QzNeverSeen0000000000' }));
    await eventually(() => refundRows()[0]?.state === 'skipped');
    expect(reasonOf(refundRows()[0])).toMatch(/no sale recorded for this refund \(paymentIntent pi_3QzNeverSeen0000000000, chargeId ch_.*STRIPE_API_KEY/);
    expect(dub.requests).toHaveLength(0);
  });

  test('a PATCH whose answer was lost is not sent again', async () => {
    await start();
    const commission = await stripeSale();
    dub.fail('commission', { applyThenDrop: true });
    await bridge.postStripe(chargeRefunded('evt_lost_answer', 5400));

    await eventually(() => refundRows()[0]?.state === 'delivered');
    expect(patches()).toHaveLength(1);
    expect(commission.amount).toBe(5000);
    expect(JSON.parse(refundRows()[0]!.response!)).toMatchObject({ appliedBy: 'an earlier attempt whose answer was lost' });
    expect(bridge.query(`SELECT state, refunded_total FROM refund_applications`)).toEqual([{ state: 'sent', refunded_total: 5000 }]);
  });
});

describe('outcomes that are not errors', () => {
  test('a sale Dub did not attribute (sale: null) has no commission: the refund is skipped without asking Dub', async () => {
    await start();
    const unattributed = stripeFixture('checkout-session-completed-payment');
    unattributed.data.object.client_reference_id = null;
    await bridge.postStripe(unattributed);
    await settled();
    await bridge.postStripe(chargeRefunded('evt_unattributed', 5400));
    await eventually(() => refundRows()[0]?.state === 'skipped');
    expect(reasonOf(refundRows()[0])).toMatch(/not attribute/);
    expect(dub.calls('GET', '/commissions')).toHaveLength(0);
    expect(patches()).toHaveLength(0);
  });

  test('a delivered sale without a commission in Dub is skipped', async () => {
    await start();
    const commission = await stripeSale();
    dub.commissions.delete(commission.id);
    await bridge.postStripe(chargeRefunded('evt_no_commission', 5400));
    await eventually(() => refundRows()[0]?.state === 'skipped');
    expect(reasonOf(refundRows()[0])).toMatch(/no commission for this sale/);
    expect(patches()).toHaveLength(0);
  });

  test('a paid commission is left alone: Dub refuses changes to it', async () => {
    await start();
    const commission = await stripeSale();
    commission.status = 'paid';
    await bridge.postStripe(chargeRefunded('evt_paid', 5400));
    await eventually(() => refundRows()[0]?.state === 'skipped');
    expect(reasonOf(refundRows()[0])).toBe('commission is paid; Dub does not change it');
    expect(patches()).toHaveLength(0);
  });
});

describe('Shopify refunds/create', () => {
  test('JPY refunds take off whole yen; the one that reaches the subtotal voids the commission', async () => {
    await start();
    await postShopify('orders/paid', shopifyRaw('orders-paid-jpy'));
    const commission = await deliveredSale('gid://shopify/Order/5512345678901');
    expect(commission.amount).toBe(1000);

    const refund = shopifyRaw('refunds-create-jpy');
    await postShopify('refunds/create', refund);
    await settled();
    expect(patches().map((p) => p.body)).toEqual([{ modifySaleAmount: -500, currency: 'jpy' }]);
    expect(commission.amount).toBe(500);

    await postShopify('refunds/create', refund.replaceAll('9312345678901', '9312345678902'));
    await settled();
    expect(patches().map((p) => p.body)[1]).toEqual({ status: 'refunded' });
    expect(commission.status).toBe('refunded');
  });

  test('a USD refund takes off the exact line subtotals in shop money, once across redeliveries and a crash', async () => {
    await start();
    await postShopify('orders/paid', shopifyRaw('orders-paid-multicurrency'));
    const commission = await deliveredSale('gid://shopify/Order/5412345678901');
    expect(commission.amount).toBe(10870);

    const refund = shopifyRaw('refunds-create');
    await postShopify('refunds/create', refund, 'event-refund-1');
    await settled();
    expect(await (await postShopify('refunds/create', refund, 'event-refund-1')).json()).toMatchObject({ duplicate: true });
    // The same body under another event id: Shopify's ids are unsigned headers, so the body's hash dedupes it.
    expect(await (await postShopify('refunds/create', refund, 'event-refund-1b')).json()).toMatchObject({ duplicate: true });

    // A crash after Dub applied the refund but before the outbox row was marked: it runs again.
    const writer = new Database(bridge.dbPath);
    writer.prepare(`UPDATE outbox SET state = 'pending', next_attempt_at = 0, lease_until = NULL, response = NULL WHERE kind = 'refund'`).run();
    writer.close();
    await eventually(() => refundRows()[0]?.state === 'skipped');

    expect(patches().map((p) => p.body)).toEqual([{ modifySaleAmount: -9999, currency: 'usd' }]); // 59.99 + 40.00
    expect(commission.amount).toBe(871);
    expect(reasonOf(refundRows()[0])).toBe('refund already applied');
  });
});

describe('Stripe invoice payments lookup (STRIPE_API_KEY)', () => {
  test('a charge that names only its payment intent finds its invoice sale through Stripe', async () => {
    const stripe = await startStripeStandIn({ pi_3QzSud2eZvKYlo2C0sUbScRb: 'in_1QzSuc2eZvKYlo2CaB1cD2eF' });
    cleanups.push(stripe.close);
    await start({ STRIPE_API_KEY: STANDIN_KEY, STRIPE_API_BASE: stripe.url });
    await bridge.postStripe(stripeFixture('checkout-session-completed-subscription'));
    const commission = await deliveredSale('in_1QzSuc2eZvKYlo2CaB1cD2eF');

    const refund = chargeRefunded('evt_sub_refund', 1000, {
      id: 'ch_3QzSud2eZvKYlo2C0tUvWxYz',
      amount: 2900,
      customer: 'cus_RsT7uV8wX9yZ0a',
      payment_intent: 'pi_3QzSud2eZvKYlo2C0sUbScRb',
    });
    refund.account = 'acct_1QzConnected000001'; // a Connect event: Stripe is asked on that account
    await bridge.postStripe(refund);
    await eventually(() => refundRows()[0]?.state === 'delivered');
    expect(patches().map((p) => p.body)).toEqual([{ modifySaleAmount: -1000, currency: 'usd' }]);
    expect(commission.amount).toBe(1900);
    expect(stripe.requests).toEqual([
      {
        path: '/v1/invoice_payments',
        query: expect.objectContaining({ 'payment[type]': 'payment_intent', 'payment[payment_intent]': 'pi_3QzSud2eZvKYlo2C0sUbScRb' }),
        authorization: `Bearer ${STANDIN_KEY}`,
        account: 'acct_1QzConnected000001',
      },
    ]);
  });

  test('STRIPE_API_KEY must be a secret or restricted key, named in the error', () => {
    expect(() => parseConfig({ STRIPE_API_KEY: 'pk_test_123' })).toThrow(/STRIPE_API_KEY: must be a Stripe secret/);
  });
});

const STANDIN_KEY = 'sk_test_dub_bridge_standin_0001';

/** A local stand-in for Stripe's `GET /v1/invoice_payments`, answering with real-shaped lists. */
async function startStripeStandIn(invoiceByPaymentIntent: Record<string, string>) {
  const requests: Array<{ path: string; query: Record<string, string>; authorization?: string; account?: string | string[] }> = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stripe.local');
    const { authorization, 'stripe-account': account } = req.headers;
    requests.push({ path: url.pathname, query: Object.fromEntries(url.searchParams), authorization, account });
    res.setHeader('content-type', 'application/json');
    if (req.headers.authorization !== `Bearer ${STANDIN_KEY}`) {
      res.writeHead(401).end(JSON.stringify({ error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } }));
      return;
    }
    const paymentIntent = url.searchParams.get('payment[payment_intent]') ?? '';
    const invoice = invoiceByPaymentIntent[paymentIntent];
    const data = invoice
      ? [
          {
            id: 'inpay_1QzSud2eZvKYlo2C',
            object: 'invoice_payment',
            amount_paid: 2900,
            amount_requested: 2900,
            created: 1742040000,
            currency: 'usd',
            invoice,
            is_default: true,
            livemode: true,
            payment: { type: 'payment_intent', payment_intent: paymentIntent },
            status: 'paid',
            status_transitions: { canceled_at: null, paid_at: 1742040001 },
          },
        ]
      : [];
    res.writeHead(200).end(JSON.stringify({ object: 'list', data, has_more: false, url: '/v1/invoice_payments' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
