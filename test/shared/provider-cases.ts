import { expect } from 'vitest';
import lemonOrder from '../fixtures/lemonsqueezy/order-created.json' with { type: 'json' };
import paddleTransaction from '../fixtures/paddle/transaction-completed.json' with { type: 'json' };
import polarOrder from '../fixtures/polar/order-paid-purchase.json' with { type: 'json' };
import revenuecatPurchase from '../fixtures/revenuecat/initial-purchase.json' with { type: 'json' };
import type { Secrets, SignedWebhook, WebhookCase } from './webhook-cases.js';

/**
 * The processors Dub has no integration for, in the shared table: one real-shaped sale each,
 * signed the way the provider signs (Web Crypto, so the same code signs inside workerd), and one
 * refusal each. No node: imports: this module also runs inside workerd.
 */
const encoder = new TextEncoder();

async function hmac(key: Uint8Array, data: string): Promise<Uint8Array> {
  const imported = await crypto.subtle.importKey('raw', key as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', imported, encoder.encode(data)));
}
const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const nowSeconds = () => Math.floor(Date.now() / 1000);
const json = { 'content-type': 'application/json' };

/** Paddle: `Paddle-Signature: ts=<unix>;h1=<hex HMAC of "<ts>:<body>">`. */
const paddle =
  (event: unknown, secret?: string) =>
  async (secrets: Secrets): Promise<SignedWebhook> => {
    const body = JSON.stringify(event);
    const ts = nowSeconds();
    const h1 = hex(await hmac(encoder.encode(secret ?? secrets.paddle!), `${ts}:${body}`));
    return { path: '/webhooks/paddle', headers: { ...json, 'paddle-signature': `ts=${ts};h1=${h1}` }, body };
  };

/** Polar (Standard Webhooks): base64 HMAC of `<id>.<timestamp>.<body>`; older secrets key with their own bytes. */
const polar =
  (event: unknown, webhookId: string) =>
  async (secrets: Secrets): Promise<SignedWebhook> => {
    const body = JSON.stringify(event);
    const ts = String(nowSeconds());
    const mac = base64(await hmac(encoder.encode(secrets.polar!), `${webhookId}.${ts}.${body}`));
    return { path: '/webhooks/polar', headers: { ...json, 'webhook-id': webhookId, 'webhook-timestamp': ts, 'webhook-signature': `v1,${mac}` }, body };
  };

/** Lemon Squeezy: `X-Signature` = hex HMAC of the body; `X-Event-Name` names the event. */
const lemonsqueezy =
  (event: { meta: { event_name: string } }) =>
  async (secrets: Secrets): Promise<SignedWebhook> => {
    const body = JSON.stringify(event);
    const signature = hex(await hmac(encoder.encode(secrets.lemonsqueezy!), body));
    return { path: '/webhooks/lemonsqueezy', headers: { ...json, 'x-event-name': event.meta.event_name, 'x-signature': signature }, body };
  };

/** RevenueCat: the `Authorization` value set in its dashboard. */
const revenuecat =
  (event: unknown, authorization?: string) =>
  async (secrets: Secrets): Promise<SignedWebhook> => ({
    path: '/webhooks/revenuecat',
    headers: { ...json, authorization: authorization ?? secrets.revenuecat! },
    body: JSON.stringify(event),
  });

const recorded = { received: true, duplicate: false, outcome: 'commands', queued: 1 };
const refused = { error: expect.objectContaining({ code: 'invalid_signature' }) };
const sale = (body: Record<string, unknown>) => ({ method: 'POST', path: '/track/sale', body });

export const providerCases: WebhookCase[] = [
  {
    name: 'a Paddle transaction.completed is a paddle sale before tax, once (a redelivery adds nothing)',
    deliveries: [
      { sign: paddle(paddleTransaction), status: 200, ack: recorded },
      { sign: paddle(paddleTransaction), status: 200, ack: { received: true, duplicate: true } },
      { sign: paddle(paddleTransaction, 'pdl_ntfset_01hzforgedforgedforged000_notthesecret00000000000000000'), status: 401, ack: refused },
    ],
    inbox: [{ source: 'paddle', eventType: 'transaction.completed', state: 'mapped' }],
    outbox: [{ kind: 'sale', state: 'delivered', idempotencyKey: 'sale:paddle:txn_01h8dzxgkvdwemdhbpcapj2tbj' }],
    dub: [
      sale({
        paymentProcessor: 'paddle',
        invoiceId: 'txn_01h8dzxgkvdwemdhbpcapj2tbj',
        amount: 59900,
        currency: 'usd',
        eventName: 'Purchase',
        customerExternalId: 'user_pdl_1042',
        clickId: 'pdlClk7Qx2Lm9Vb4',
      }),
    ],
  },
  {
    name: 'a Polar order.paid is a polar sale of its net amount',
    deliveries: [{ sign: polar(polarOrder, 'msg_2zTestPolarOrderPaid0001'), status: 200, ack: recorded }],
    inbox: [{ source: 'polar', eventType: 'order.paid', state: 'mapped' }],
    outbox: [{ kind: 'sale', state: 'delivered', idempotencyKey: 'sale:polar:00000000-0000-4000-8000-0000000000d2' }],
    dub: [
      sale({
        paymentProcessor: 'polar',
        invoiceId: '00000000-0000-4000-8000-0000000000d2',
        amount: 4900,
        currency: 'eur',
        eventName: 'Purchase',
        customerExternalId: 'merchant_user_77',
        clickId: 'clk_test_polar_2',
      }),
    ],
  },
  {
    name: 'a Lemon Squeezy order_created is a lemonsqueezy sale of total minus tax',
    deliveries: [{ sign: lemonsqueezy(lemonOrder), status: 200, ack: recorded }],
    inbox: [{ source: 'lemonsqueezy', eventType: 'order_created', state: 'mapped' }],
    outbox: [{ kind: 'sale', state: 'delivered', idempotencyKey: 'sale:lemonsqueezy:ls_order_4821357' }],
    dub: [
      sale({
        paymentProcessor: 'lemonsqueezy',
        invoiceId: 'ls_order_4821357',
        amount: 999,
        currency: 'usd',
        customerExternalId: 'user_ls_77',
        clickId: 'lsClk3Vb8Nm2Qx5T',
      }),
    ],
  },
  {
    name: 'a RevenueCat INITIAL_PURCHASE of 9.99 is a revenuecat sale of 999 cents; a wrong Authorization stores nothing',
    deliveries: [
      { sign: revenuecat(revenuecatPurchase, 'Bearer not-the-configured-value-0000'), status: 401, ack: refused },
      { sign: revenuecat(revenuecatPurchase), status: 200, ack: recorded },
    ],
    inbox: [{ source: 'revenuecat', eventType: 'INITIAL_PURCHASE', state: 'mapped' }],
    outbox: [{ kind: 'sale', state: 'delivered', idempotencyKey: 'sale:revenuecat:2000000999000001' }],
    dub: [
      sale({
        paymentProcessor: 'revenuecat',
        invoiceId: '2000000999000001',
        amount: 999,
        currency: 'usd',
        eventName: 'Subscription creation',
        clickId: 'clk_test_revenuecat_1',
      }),
    ],
  },
];
