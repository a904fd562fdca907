import Stripe from 'stripe';
import { expect } from 'vitest';
import checkoutPaid from '../fixtures/stripe/checkout-session-completed-payment.json' with { type: 'json' };
import customersUpdate from '../fixtures/shopify/customers-update.json' with { type: 'json' };
import ordersPaidPresentment from '../fixtures/shopify/orders-paid-multicurrency.json' with { type: 'json' };

/**
 * One expectation table for both runtimes: each case is a list of signed webhooks and what a user
 * would see afterwards (HTTP answers, inbox and outbox rows, the requests Dub received). The Node
 * runner (test/http/webhook-cases.test.ts) and the workerd runner (test/workers/) send the same
 * requests and check the same rows. No node: imports here: this module also runs inside workerd.
 */

/** The secrets the bridge under test is configured with; each runner passes its own. */
export interface Secrets {
  stripe: string;
  shopify: string;
  /** The other providers' test secrets, by source (`paddle`, `polar`, …). */
  [source: string]: string | undefined;
}

export interface SignedWebhook {
  path: `/webhooks/${string}`;
  headers: Record<string, string>;
  body: string;
}

export interface Delivery {
  sign: (secrets: Secrets) => Promise<SignedWebhook>;
  status: number;
  /** A subset of the JSON answer. */
  ack: Record<string, unknown>;
}

export interface DubRequestSeen {
  method: string;
  path: string;
  body: unknown;
}

export interface WebhookCase {
  name: string;
  /** Sent in order; each runner lets delivery settle before the next one. */
  deliveries: Delivery[];
  inbox: Array<{ source: string; eventType: string; state: string }>;
  outbox: Array<{ kind: string; state: string; idempotencyKey: string }>;
  dub: Array<{ method: string; path: string; body?: Record<string, unknown> }>;
}

/** What a runner observed, read with the queries below from SQLite or D1. */
export interface Observed {
  responses: Array<{ status: number; body: unknown }>;
  inbox: unknown[];
  outbox: unknown[];
  dub: DubRequestSeen[];
}

export const INBOX_ROWS_SQL = 'SELECT source, event_type AS eventType, state FROM inbox ORDER BY id';
export const OUTBOX_ROWS_SQL = 'SELECT kind, state, idempotency_key AS idempotencyKey FROM outbox ORDER BY id';
export const PENDING_ROWS_SQL = "SELECT count(*) AS n FROM outbox WHERE state = 'pending'";
/** Record first: what the mapper decided for an acknowledged event (its inbox row and the commands it added). */
export const DECISION_SQL = 'SELECT state, reason, (SELECT count(*) FROM outbox WHERE inbox_id = inbox.id) AS queued FROM inbox WHERE id = ?';

/**
 * The ack as the table states it: the HTTP answer plus the mapping decision read back from the
 * database (`outcome`, `reason`, `queued`), since the answer itself only says the event is stored.
 */
export function withDecision(body: any, decision: { state: string; reason: string | null; queued: number } | undefined): unknown {
  if (!decision || body?.duplicate !== false) return body;
  const outcome = decision.state === 'mapped' ? 'commands' : decision.state;
  return { ...body, outcome, ...(decision.reason ? { reason: decision.reason } : {}), queued: decision.queued };
}

const stripeWebhook =
  (event: unknown, options: { tamper?: boolean } = {}) =>
  async (secrets: Secrets): Promise<SignedWebhook> => {
    const payload = JSON.stringify(event, null, 2);
    const signature = await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret: secrets.stripe });
    return {
      path: '/webhooks/stripe',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      body: options.tamper ? payload.replace('"amount_total": 10800', '"amount_total": 1') : payload,
    };
  };

async function shopifyHmac(body: string, secret: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(body)));
  return btoa(String.fromCharCode(...mac));
}

const SHOP = 'partner-goods.myshopify.com';

const shopifyWebhook =
  (topic: string, payload: unknown, eventId: string, options: { secret?: string } = {}) =>
  async (secrets: Secrets): Promise<SignedWebhook> => {
    const body = JSON.stringify(payload);
    return {
      path: '/webhooks/shopify',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': topic,
        'x-shopify-shop-domain': SHOP,
        'x-shopify-hmac-sha256': await shopifyHmac(body, options.secret ?? secrets.shopify),
        'x-shopify-api-version': '2025-07',
        'x-shopify-webhook-id': `wh-${eventId}`,
        'x-shopify-event-id': eventId,
      },
      body,
    };
  };

/** The paid Stripe checkout of the first case, for tests that build on it (the Cron sweeper). */
export const signPaidCheckout = stripeWebhook(checkoutPaid);

const recorded = (queued: number, outcome = 'commands') => ({ received: true, duplicate: false, outcome, queued });
const checkoutSaleKey = 'sale:stripe:pi_3QyPkQ2eZvKYlo2C1aBcDeFg';
const checkoutSale = {
  method: 'POST',
  path: '/track/sale',
  body: {
    customerExternalId: 'user_4242',
    amount: 10000,
    currency: 'usd',
    paymentProcessor: 'stripe',
    eventName: 'Purchase',
    invoiceId: 'pi_3QyPkQ2eZvKYlo2C1aBcDeFg',
    clickId: 'Jk8sP2qLmN4vXy7Z',
  },
};

export const webhookCases: WebhookCase[] = [
  {
    name: 'a paid Stripe checkout becomes one sale without tax',
    deliveries: [{ sign: signPaidCheckout, status: 200, ack: recorded(1) }],
    inbox: [{ source: 'stripe', eventType: 'checkout.session.completed', state: 'mapped' }],
    outbox: [{ kind: 'sale', state: 'delivered', idempotencyKey: checkoutSaleKey }],
    dub: [checkoutSale],
  },
  {
    name: 'a Shopify orders/paid in a presentment currency is sent in the shop currency',
    deliveries: [{ sign: shopifyWebhook('orders/paid', ordersPaidPresentment, 'evt-order-1002'), status: 200, ack: recorded(1) }],
    inbox: [{ source: 'shopify', eventType: 'orders/paid', state: 'mapped' }],
    outbox: [{ kind: 'sale', state: 'delivered', idempotencyKey: 'sale:shopify:gid://shopify/Order/5412345678901' }],
    dub: [
      {
        method: 'POST',
        path: '/track/sale',
        body: {
          customerExternalId: '6912345678901',
          amount: 10870,
          currency: 'usd',
          paymentProcessor: 'shopify',
          invoiceId: 'gid://shopify/Order/5412345678901',
          clickId: 'LnD1ngCl1ck',
          metadata: expect.objectContaining({ presentmentAmount: '100.00', presentmentCurrency: 'EUR' }),
        },
      },
    ],
  },
  {
    name: 'a Shopify customers/update patches the Dub customer (unknown to Dub: skipped)',
    deliveries: [{ sign: shopifyWebhook('customers/update', customersUpdate, 'evt-customer-1'), status: 200, ack: recorded(1) }],
    inbox: [{ source: 'shopify', eventType: 'customers/update', state: 'mapped' }],
    outbox: [{ kind: 'customer', state: 'skipped', idempotencyKey: `customer:shopify:6912345678901:${SHOP}:customers/update:evt-customer-1` }],
    dub: [{ method: 'PATCH', path: '/customers/ext_6912345678901', body: { name: 'Lukas Becker', email: 'lukas.becker@example.de' } }],
  },
  {
    name: 'an unknown Stripe event type is recorded as ignored and answered 200',
    deliveries: [
      {
        sign: stripeWebhook({ ...checkoutPaid, id: 'evt_unknown_type_0001', type: 'payment_intent.created' }),
        status: 200,
        ack: { ...recorded(0, 'ignored'), reason: 'unhandled event type payment_intent.created' },
      },
    ],
    inbox: [{ source: 'stripe', eventType: 'payment_intent.created', state: 'ignored' }],
    outbox: [],
    dub: [],
  },
  {
    name: 'a duplicate Stripe delivery is absorbed: one row, one Dub call',
    deliveries: [
      { sign: signPaidCheckout, status: 200, ack: recorded(1) },
      { sign: signPaidCheckout, status: 200, ack: { received: true, duplicate: true } },
    ],
    inbox: [{ source: 'stripe', eventType: 'checkout.session.completed', state: 'mapped' }],
    outbox: [{ kind: 'sale', state: 'delivered', idempotencyKey: checkoutSaleKey }],
    dub: [checkoutSale],
  },
  {
    name: 'bad signatures are rejected before anything is stored',
    deliveries: [
      { sign: stripeWebhook(checkoutPaid, { tamper: true }), status: 401, ack: { error: expect.objectContaining({ code: 'invalid_signature' }) } },
      {
        sign: shopifyWebhook('orders/paid', ordersPaidPresentment, 'evt-forged', { secret: 'shpss_not_the_app_secret' }),
        status: 401,
        ack: { error: expect.objectContaining({ code: 'invalid_signature' }) },
      },
    ],
    inbox: [],
    outbox: [],
    dub: [],
  },
];

/** The one comparison both runners make. */
export function expectCase(c: WebhookCase, observed: Observed): void {
  expect(observed.responses).toMatchObject(c.deliveries.map((d) => ({ status: d.status, body: d.ack })));
  expect(observed.inbox).toEqual(c.inbox);
  expect(observed.outbox).toEqual(c.outbox);
  expect(observed.dub).toHaveLength(c.dub.length);
  expect(observed.dub).toMatchObject(c.dub.map((request) => ({ method: request.method, path: request.path, ...(request.body ? { body: request.body } : {}) })));
}
