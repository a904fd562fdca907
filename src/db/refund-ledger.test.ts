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
    inbox: {
      source: 'shopify',
      eventKey: 'shop:orders/paid:1',
      eventType: 'orders/paid',
      account: null,
      receivedAt: 1,
      payload: '{}',
      state: 'mapped',
      reason: null,
    },
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

const LEASE = 60_000;
const begin = (refundKey: string, expectedRefundedSent: number, refundedTotal: number, owner = 'runner-a', at = 2) => {
  const input: BeginRefundInput = {
    refundKey,
    invoiceId: 'gid://shopify/Order/1',
    expectedRefundedSent,
    refundedTotal,
    commissionsBefore: '[]',
    change: JSON.stringify({ modifySaleAmount: expectedRefundedSent - refundedTotal, currency: 'jpy' }),
    owner,
    leaseUntil: at + LEASE,
    at,
  };
  return store.beginRefund(input);
};
const refundedSent = async () => (await store.findSale({ invoiceId: 'gid://shopify/Order/1' }))?.refundedSent;
const applications = async () => (await store.listRefundApplications('gid://shopify/Order/1')).map((a) => [a.refundKey, a.state, a.owner]);

test('one refund per sale is in flight, and a delta computed from a stale total is refused', async () => {
  expect(await begin('refund:a', 0, 300)).toBe(true);
  expect(await begin('refund:b', 0, 500)).toBe(false); // refund:a is still sending

  expect(await store.settleRefund('refund:a', true, 3, 'runner-a')).toBe(true);
  expect(await refundedSent()).toBe(300);
  expect(await begin('refund:b', 0, 500)).toBe(false); // computed before refund:a landed
  expect(await begin('refund:b', 300, 800)).toBe(true);

  expect(await store.settleRefund('refund:b', false, 4, 'runner-a')).toBe(true); // its PATCH never reached Dub: forgotten
  expect(await store.settleRefund('refund:a', true, 5, 'runner-a')).toBe(false); // settling twice changes nothing
  expect(await refundedSent()).toBe(300);
  expect(await applications()).toEqual([['refund:a', 'sent', 'runner-a']]);
});

test("a sending refund is its runner's until its lease ends; only then may another runner take it over", async () => {
  expect(await begin('refund:a', 0, 300, 'runner-a', 1_000)).toBe(true);

  // Another runner can neither take it nor settle it while the lease runs (its PATCH may be on the way).
  expect(await store.takeOverRefund({ refundKey: 'refund:a', owner: 'runner-b', now: 1_000 + LEASE - 1, leaseUntil: 9e9 })).toBe(false);
  expect(await store.settleRefund('refund:a', false, 2_000, 'runner-b')).toBe(false);
  expect(await applications()).toEqual([['refund:a', 'sending', 'runner-a']]);

  // Its own runner may come back to it at any time, and so may the refund's own next attempt
  // (its outbox claim makes it the only one): it becomes that attempt's runner's.
  expect(await store.takeOverRefund({ refundKey: 'refund:a', owner: 'runner-a', now: 2_000, leaseUntil: 2_000 + LEASE })).toBe(true);
  expect(await store.takeOverRefund({ refundKey: 'refund:a', owner: 'runner-d', now: 2_000, leaseUntil: 2_000 + LEASE, ownRetry: true })).toBe(true);
  expect(await store.takeOverRefund({ refundKey: 'refund:a', owner: 'runner-a', now: 2_000, leaseUntil: 2_000 + LEASE })).toBe(false);
  expect(await store.takeOverRefund({ refundKey: 'refund:a', owner: 'runner-a', now: 2_000, leaseUntil: 2_000 + LEASE, ownRetry: true })).toBe(true);

  // Past the lease, one of two racing runners wins; the old owner's late answer then changes nothing.
  const later = 2_000 + LEASE;
  expect(await store.takeOverRefund({ refundKey: 'refund:a', owner: 'runner-b', now: later, leaseUntil: later + LEASE })).toBe(true);
  expect(await store.takeOverRefund({ refundKey: 'refund:a', owner: 'runner-c', now: later, leaseUntil: later + LEASE })).toBe(false);
  expect(await store.settleRefund('refund:a', true, later, 'runner-a')).toBe(false);
  expect(await refundedSent()).toBe(0);

  expect(await store.settleRefund('refund:a', true, later, 'runner-b')).toBe(true);
  expect(await refundedSent()).toBe(300);
  expect(await applications()).toEqual([['refund:a', 'sent', 'runner-b']]);
});
