import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { migrationsFolder } from '../runtime/paths.js';
import { openSqliteStore } from '../runtime/sqlite-store.js';
import type { BeginRefundInput, Store } from './store.js';

/** The refund bookkeeping on a real SQLite file: what keeps two refunds from sharing one total. */
let dir: string;
let store: Store;
let close: () => void;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'refund-ledger-'));
  ({ store, close } = openSqliteStore({ path: join(dir, 'db.sqlite'), migrationsFolder: migrationsFolder(), createDirectory: false }));
  await store.recordEvent({
    inbox: { source: 'shopify', eventKey: 'shop:orders/paid:1', eventType: 'orders/paid', account: null, receivedAt: 1, payload: '{}', state: 'mapped', reason: null },
    outbox: [
      {
        kind: 'sale',
        idempotencyKey: 'sale:shopify:gid://shopify/Order/1',
        customerKey: null,
        command: '{}',
        rank: 1,
        dueAt: 1,
        sale: { invoiceId: 'gid://shopify/Order/1', amount: 1000, currency: 'jpy', refs: { shopifyOrderId: '1' } },
      },
    ],
    links: [],
  });
});
afterEach(() => {
  close();
  rmSync(dir, { recursive: true, force: true });
});

const begin = (refundKey: string, expectedRefundedSent: number, refundedTotal: number) => {
  const input: BeginRefundInput = { refundKey, invoiceId: 'gid://shopify/Order/1', expectedRefundedSent, refundedTotal, commissionsBefore: '[]', at: 2 };
  return store.beginRefund(input);
};
const refundedSent = async () => (await store.findSale({ refs: { shopifyOrderId: '1' } }))?.refundedSent;

test('one refund per sale is in flight, and a delta computed from a stale total is refused', async () => {
  expect(await begin('refund:a', 0, 300)).toBe(true);
  expect(await begin('refund:b', 0, 500)).toBe(false); // refund:a is still sending

  await store.settleRefund('refund:a', true, 3);
  expect(await refundedSent()).toBe(300);
  expect(await begin('refund:b', 0, 500)).toBe(false); // computed before refund:a landed
  expect(await begin('refund:b', 300, 800)).toBe(true);

  await store.settleRefund('refund:b', false, 4); // its PATCH never reached Dub: forgotten
  await store.settleRefund('refund:a', true, 5); // settling twice changes nothing
  expect(await refundedSent()).toBe(300);
  expect((await store.listRefundApplications('gid://shopify/Order/1')).map((a) => [a.refundKey, a.state])).toEqual([['refund:a', 'sent']]);
});
