import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { AnySQLiteDatabase } from '../../src/db/drizzle-store.js';
import * as schema from '../../src/db/schema.js';
import type { Store } from '../../src/db/store.js';
import { tempStore } from '../helpers/temp-store.js';

/** Times of the seeded events: received at T0 (+1 min each), finished at DONE. */
export const T0 = Date.UTC(2025, 2, 6, 10, 0, 0);
export const DONE = T0 + 30 * 60_000;
export const SHOPIFY_ORDER_ID = '820982911946154508';
export const DEAD_REASON = '422 unprocessable_entity: Invalid currency: xyz';

const sale = (invoiceId: string, externalId: string, email: string, clickId?: string) =>
  JSON.stringify({
    kind: 'sale',
    body: {
      customerExternalId: externalId,
      amount: 4900,
      currency: 'usd',
      paymentProcessor: 'stripe',
      eventName: 'Purchase',
      invoiceId,
      customerName: 'Ada Lovelace',
      customerEmail: email,
      metadata: { source: 'dub-bridge' },
      ...(clickId ? { clickId, leadEventName: 'Sign up' } : {}),
    },
  });

/**
 * A real SQLite store holding what an operator looks for: a delivered Stripe sale (found by its
 * payment intent, customer id, email or click id), two Shopify sales dead with the same reason (one
 * found by the order id in its payload), and an ignored event. `db` reads the same file with drizzle.
 */
export async function seededStore(): Promise<{
  store: Store;
  db: AnySQLiteDatabase;
  dispose: () => void;
  inbox: Record<'stripe' | 'shopify' | 'shopify2' | 'ignored', number>;
}> {
  const temp = tempStore();
  const { store } = temp;
  const record = (
    source: string,
    eventKey: string,
    eventType: string,
    payload: string | object,
    at: number,
    commands: { key: string; command: string; customer: string }[],
    reason: string | null = null,
  ) =>
    store.recordEvent({
      inbox: {
        source,
        eventKey,
        eventType,
        account: source === 'shopify' ? 'acme.myshopify.com' : null,
        receivedAt: at,
        payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
        state: commands.length ? 'mapped' : 'ignored',
        reason,
      },
      outbox: commands.map((c) => ({ kind: 'sale' as const, idempotencyKey: c.key, customerKey: c.customer, command: c.command, rank: 1, dueAt: at })),
      links: source === 'stripe' && commands.length ? [{ source, providerCustomerId: 'cus_RqB3cD4eF5gH6i', externalId: 'user_4242' }] : [],
    });
  const stripe = await record(
    'stripe',
    'evt_1QyPkS2eZvKYlo2C',
    'checkout.session.completed',
    { id: 'evt_1QyPkS2eZvKYlo2C', data: { object: { id: 'cs_test_a1', customer: 'cus_RqB3cD4eF5gH6i', customer_details: { email: 'Ada@Example.com' } } } },
    T0,
    [
      {
        key: 'sale:stripe:pi_3QyPkQ2eZvKYlo2C',
        command: sale('pi_3QyPkQ2eZvKYlo2C', 'user_4242', 'ada@example.com', 'Jk8sP2qLmN4vXy7Z'),
        customer: 'user_4242',
      },
    ],
  );
  const shopify = await record(
    'shopify',
    `acme.myshopify.com:orders/paid:b1a2c3d4`,
    'orders/paid',
    `{"id":${SHOPIFY_ORDER_ID},"name":"#1001","email":"bob@example.com"}`,
    T0 + 60_000,
    [
      {
        key: `sale:shopify:gid://shopify/Order/${SHOPIFY_ORDER_ID}`,
        command: sale(`gid://shopify/Order/${SHOPIFY_ORDER_ID}`, 'shopify_9', 'bob@example.com'),
        customer: 'shopify_9',
      },
    ],
  );
  const shopify2 = await record('shopify', `acme.myshopify.com:orders/paid:e5f6a7b8`, 'orders/paid', '{"id":820982911946154599,"name":"#1002"}', T0 + 120_000, [
    {
      key: 'sale:shopify:gid://shopify/Order/820982911946154599',
      command: sale('gid://shopify/Order/820982911946154599', 'shopify_10', 'cy@example.com'),
      customer: 'shopify_10',
    },
  ]);
  const ignored = await record(
    'stripe',
    'evt_1QyPkS2eZvKYlo2D',
    'checkout.session.completed',
    { id: 'evt_1QyPkS2eZvKYlo2D', data: { object: { id: 'cs_test_unpaid' } } },
    T0 + 180_000,
    [],
    'checkout session not paid yet and no Dub click id',
  );
  for (const row of await store.claimDue(DONE, 100, 60_000)) {
    const claim = { id: row.id, attempts: row.attempts, leaseUntil: row.leaseUntil };
    if (row.source === 'stripe') await store.markDelivered(claim, 'delivered', JSON.stringify({ status: 200, sale: 'recorded' }), DONE);
    else await store.markDead(claim, DEAD_REASON, DONE);
  }
  const sqlite = new Database(temp.path);
  return {
    store,
    db: drizzle(sqlite, { schema }) as unknown as AnySQLiteDatabase,
    dispose: () => {
      sqlite.close();
      temp.dispose();
    },
    inbox: { stripe: stripe.inboxId, shopify: shopify.inboxId, shopify2: shopify2.inboxId, ignored: ignored.inboxId },
  };
}
