import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import { eventually, mappedAck, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { startFakeDub, type FakeDub } from '../helpers/fake-dub.js';
import { LEMONSQUEEZY_SECRET, lemonSqueezyHeaders } from '../helpers/signers/lemonsqueezy.js';
import { PADDLE_SECRET, paddleHeaders } from '../helpers/signers/paddle.js';

/**
 * Paddle and Lemon Squeezy end to end: bodies signed the way each provider signs, posted to the
 * real Node bridge (real SQLite file), delivered to a fake Dub.
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
    PADDLE_WEBHOOK_SECRET: PADDLE_SECRET,
    LEMONSQUEEZY_WEBHOOK_SECRET: LEMONSQUEEZY_SECRET,
    ...env,
  });
}

const raw = (path: string) => readFileSync(new URL(`../fixtures/${path}.json`, import.meta.url), 'utf8');
const post = (source: string, body: string, headers: Record<string, string>) => fetch(`${bridge.url}/webhooks/${source}`, { method: 'POST', headers, body });
const postPaddle = (body: string, headers = paddleHeaders(body)) => post('paddle', body, headers);
const postLemon = (body: string, headers = lemonSqueezyHeaders(body)) => post('lemonsqueezy', body, headers);

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

const PADDLE_TXN = 'txn_01h8dzxgkvdwemdhbpcapj2tbj';
const paddleTransaction = raw('paddle/transaction-completed');

describe('Paddle over HTTP', () => {
  test('transaction.completed reaches Dub once as a paddle sale (retries, sequential and concurrent, add nothing)', async () => {
    await start();
    const first = await postPaddle(paddleTransaction);
    expect(first.status).toBe(200);
    expect(await mappedAck(first)).toMatchObject({ outcome: 'commands', queued: 1 });
    // Paddle retries the same event (same event_id) with a fresh signature timestamp.
    const again = await postPaddle(paddleTransaction, paddleHeaders(paddleTransaction, { ts: Math.floor(Date.now() / 1000) - 60 }));
    expect(await again.json()).toMatchObject({ duplicate: true });
    const burst = await Promise.all(Array.from({ length: 5 }, () => postPaddle(paddleTransaction)));
    expect(burst.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    await delivered(PADDLE_TXN);
    await settled();

    expect(sales()).toHaveLength(1);
    expect(sales()[0]!.body).toMatchObject({
      paymentProcessor: 'paddle',
      amount: 59900,
      currency: 'usd',
      invoiceId: PADDLE_TXN,
      customerExternalId: 'user_pdl_1042',
      clickId: 'pdlClk7Qx2Lm9Vb4',
      eventName: 'Purchase',
      metadata: { source: 'dub-bridge', paddleEventId: 'evt_01h8e1jxjnw9ra6zarhnz1a7y1' },
    });
    expect(inboxCount('paddle')).toBe(1);
    expect(bridge.query(`SELECT provider_customer_id, external_id FROM customer_links WHERE source = 'paddle'`)).toEqual([
      { provider_customer_id: 'ctm_01h8e18bxp9hby49dnm8ewf0m0', external_id: 'user_pdl_1042' },
    ]);
  });

  test('an approved refund adjustment takes its pre-tax subtotal off the commission once; a full one voids it', async () => {
    await start();
    await postPaddle(paddleTransaction);
    await delivered(PADDLE_TXN);
    const commission = dub.commissionFor(PADDLE_TXN)!;

    // Pending approval changes nothing; the approval (updated) refunds 3000 of the 59900 sale.
    expect(await mappedAck(await postPaddle(raw('paddle/adjustment-created')))).toMatchObject({ outcome: 'ignored' });
    await postPaddle(raw('paddle/adjustment-updated'));
    await settled();
    // The same adjustment approved again under another event id maps to the same refund key.
    const approvedAgain = JSON.parse(raw('paddle/adjustment-updated'));
    approvedAgain.event_id = 'evt_01h8c6wz4ac017hxdehrgdvpz5';
    expect(await mappedAck(await postPaddle(JSON.stringify(approvedAgain)))).toMatchObject({ queued: 0 });
    await settled();
    expect(patches().map((p) => p.body)).toEqual([{ modifySaleAmount: -3000, currency: 'usd' }]);
    expect(commission.amount).toBe(59900 - 3000);

    const full = JSON.parse(raw('paddle/adjustment-updated'));
    Object.assign(full, { event_id: 'evt_01h8c7full0000000000000000' });
    Object.assign(full.data, {
      id: 'adj_01h8c7full000000000000000',
      type: 'full',
      totals: { ...full.data.totals, subtotal: '56900', tax: '5049', total: '61949' },
    });
    await postPaddle(JSON.stringify(full));
    await settled();
    expect(patches().at(-1)!.body).toEqual({ status: 'refunded' });
    expect(commission.status).toBe('refunded');
  });

  test('bad signatures answer 401 and store nothing; a malformed header 400', async () => {
    await start();
    const tampered = paddleTransaction.replace('"65215"', '"1"');
    expect((await postPaddle(tampered, paddleHeaders(paddleTransaction))).status).toBe(401);
    expect((await postPaddle(paddleTransaction, paddleHeaders(paddleTransaction, { ts: Math.floor(Date.now() / 1000) - 3600 }))).status).toBe(401);
    expect(
      (
        await postPaddle(
          paddleTransaction,
          paddleHeaders(paddleTransaction, { secret: 'pdl_ntfset_01hzwrongsecret0000000000000_wrongwrongwrongwrong000000000000' }),
        )
      ).status,
    ).toBe(401);
    expect((await postPaddle(paddleTransaction, { 'content-type': 'application/json', 'paddle-signature': 'v1=abc' })).status).toBe(400);
    expect((await postPaddle(paddleTransaction, { 'content-type': 'application/json' })).status).toBe(400);
    expect(inboxCount('paddle')).toBe(0);
    expect(dub.requests).toHaveLength(0);
  });

  test('a verified event of an unmapped type is 200, recorded as ignored', async () => {
    await start();
    const body = JSON.stringify({
      event_id: 'evt_01hv8xpayout0000000000000',
      event_type: 'payout.paid',
      occurred_at: '2026-04-12T10:18:49.621022Z',
      data: { id: 'pay_1' },
    });
    const response = await postPaddle(body);
    expect(response.status).toBe(200);
    expect(await mappedAck(response)).toMatchObject({ outcome: 'ignored', reason: 'unhandled event type payout.paid' });
    expect(bridge.query(`SELECT state, reason FROM inbox WHERE source = 'paddle'`)).toEqual([{ state: 'ignored', reason: 'unhandled event type payout.paid' }]);
  });
});

const LS_ORDER = 'ls_order_4821357';
const lemonOrder = raw('lemonsqueezy/order-created');

describe('Lemon Squeezy over HTTP', () => {
  test('order_created reaches Dub once as a lemonsqueezy sale (retries of the same bytes add nothing)', async () => {
    await start();
    expect(await mappedAck(await postLemon(lemonOrder))).toMatchObject({ outcome: 'commands', queued: 1 });
    expect(await (await postLemon(lemonOrder)).json()).toMatchObject({ duplicate: true });
    const burst = await Promise.all(Array.from({ length: 5 }, () => postLemon(lemonOrder)));
    expect(burst.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    await settled();

    expect(sales()).toHaveLength(1);
    expect(sales()[0]!.body).toMatchObject({
      paymentProcessor: 'lemonsqueezy',
      amount: 999,
      currency: 'usd',
      invoiceId: LS_ORDER,
      customerExternalId: 'user_ls_77',
      clickId: 'lsClk3Vb8Nm2Qx5T',
      eventName: 'Purchase',
    });
    expect(inboxCount('lemonsqueezy')).toBe(1);
    expect(bridge.query(`SELECT state, last_error FROM outbox WHERE kind = 'sale'`)).toEqual([{ state: 'delivered', last_error: null }]);
  });

  test('order_refunded takes the refunded share of the pre-tax sale off the commission, once', async () => {
    await start();
    await postLemon(lemonOrder);
    await delivered(LS_ORDER);
    const refunded = raw('lemonsqueezy/order-refunded');
    await postLemon(refunded);
    await settled();
    expect(await (await postLemon(refunded)).json()).toMatchObject({ duplicate: true });
    // 600 of the 1199 payment (tax included) is 500 of the 999 sale (half up).
    expect(patches().map((p) => p.body)).toEqual([{ modifySaleAmount: -500, currency: 'usd' }]);
    expect(dub.commissionFor(LS_ORDER)).toMatchObject({ amount: 499 });
  });

  test('bad signatures answer 401 and store nothing; a header that names another event 400', async () => {
    await start();
    expect((await postLemon(lemonOrder.replace('1199', '1'), lemonSqueezyHeaders(lemonOrder))).status).toBe(401);
    expect((await postLemon(lemonOrder, lemonSqueezyHeaders(lemonOrder, { secret: 'another-signing-secret' }))).status).toBe(401);
    expect((await postLemon(lemonOrder, lemonSqueezyHeaders(lemonOrder, { eventName: 'order_refunded' }))).status).toBe(400);
    expect(inboxCount('lemonsqueezy')).toBe(0);
    expect(dub.requests).toHaveLength(0);
  });

  test('a verified event of an unmapped type is 200, recorded as ignored', async () => {
    await start();
    const response = await postLemon(raw('lemonsqueezy/subscription-created'));
    expect(response.status).toBe(200);
    expect(await mappedAck(response)).toMatchObject({ outcome: 'ignored', reason: 'unhandled event type subscription_created' });
  });
});
