import { beforeEach, describe, expect, it } from 'vitest';
import type { BeginRefundInput } from '../../src/db/store.js';
import { record, saleCommand, T0, type ContractContext } from './fixtures.js';

const LEASE = 60_000;
const INVOICE = 'gid://shopify/Order/1';

/** findSale and the refund ledger: what keeps a refund from being taken off twice. */
export function refundContract(ctx: ContractContext): void {
  beforeEach(async () => {
    await record(ctx.store, 'shop:orders/paid:1', [saleCommand(INVOICE, { shopifyOrderId: '1', checkout: 'co_1' })], { source: 'shopify' });
  });

  const begin = (refundKey: string, expectedRefundedSent: number, refundedTotal: number, owner = 'runner-a', at = T0, invoiceId = INVOICE) => {
    const input: BeginRefundInput = {
      refundKey,
      invoiceId,
      expectedRefundedSent,
      refundedTotal,
      commissionsBefore: JSON.stringify([{ id: 'cm_1', status: 'pending', amount: 10_000 }]),
      change: JSON.stringify({ modifySaleAmount: expectedRefundedSent - refundedTotal, currency: 'usd' }),
      owner,
      leaseUntil: at + LEASE,
      at,
    };
    return ctx.store.beginRefund(input);
  };
  const refundedSent = async () => (await ctx.store.findSale({ invoiceId: INVOICE }))?.refundedSent;
  const applications = async () => (await ctx.store.listRefundApplications(INVOICE)).map((a) => [a.refundKey, a.state, a.owner]);

  describe('findSale', () => {
    it('finds a sale by invoiceId, else by any of its references; unknown ones find nothing', async () => {
      const { store } = ctx;
      await record(store, 'evt_2', [saleCommand('in_2', { charge: 'ch_2' })]);
      expect(await store.findSale({ invoiceId: INVOICE })).toMatchObject({ invoiceId: INVOICE, source: 'shopify', amount: 10_000, currency: 'usd' });
      expect(await store.findSale({ invoiceId: 'unknown', refs: { charge: 'ch_2' } })).toMatchObject({ invoiceId: 'in_2' });
      expect(await store.findSale({ invoiceId: null, refs: { shopifyOrderId: null, checkout: 'co_1' } })).toMatchObject({ invoiceId: INVOICE });
      // The invoiceId wins over references that point elsewhere.
      expect(await store.findSale({ invoiceId: 'in_2', refs: { checkout: 'co_1' } })).toMatchObject({ invoiceId: 'in_2' });
      // A reference is a kind and a value: the same value under another kind is not it.
      expect(await store.findSale({ refs: { charge: 'co_1' } })).toBeUndefined();
      expect(await store.findSale({ refs: { charge: null, checkout: '' } })).toBeUndefined();
      expect(await store.findSale({})).toBeUndefined();
    });
  });

  describe('beginRefund / settleRefund', () => {
    it('one refund per sale is in flight, and a delta computed from a stale total is refused', async () => {
      const { store } = ctx;
      expect(await begin('refund:a', 0, 300)).toBe(true);
      expect(await begin('refund:b', 0, 500)).toBe(false); // refund:a is still sending
      expect(await store.listRefundApplications(INVOICE)).toEqual([
        {
          refundKey: 'refund:a',
          tenant: '',
          invoiceId: INVOICE,
          state: 'sending',
          refundedTotal: 300,
          commissionsBefore: JSON.stringify([{ id: 'cm_1', status: 'pending', amount: 10_000 }]),
          change: JSON.stringify({ modifySaleAmount: -300, currency: 'usd' }),
          owner: 'runner-a',
          leaseUntil: T0 + LEASE,
          updatedAt: T0,
        },
      ]);

      expect(await store.settleRefund('refund:a', true, T0 + 1, 'runner-a')).toBe(true);
      expect(await refundedSent()).toBe(300);
      expect(await begin('refund:b', 0, 500)).toBe(false); // computed before refund:a landed
      expect(await begin('refund:a', 300, 600)).toBe(false); // refund:a already applied
      expect(await begin('refund:b', 300, 800, 'runner-a', T0 + 2)).toBe(true);

      expect(await store.settleRefund('refund:b', false, T0 + 3, 'runner-a')).toBe(true); // never reached Dub: forgotten
      expect(await store.settleRefund('refund:a', true, T0 + 4, 'runner-a')).toBe(false); // settling twice changes nothing
      expect(await refundedSent()).toBe(300);
      expect((await store.listRefundApplications(INVOICE))[0]).toMatchObject({ refundKey: 'refund:a', state: 'sent', leaseUntil: null, updatedAt: T0 + 1 });
      expect(await applications()).toEqual([['refund:a', 'sent', 'runner-a']]);
    });

    it('of two refunds begun at the same time from the same total, only one goes ahead', async () => {
      const results = await Promise.all([begin('refund:a', 0, 300, 'runner-a'), begin('refund:b', 0, 500, 'runner-b')]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await ctx.store.listRefundApplications(INVOICE)).toHaveLength(1);
    });

    it('a sale nobody recorded cannot be refunded, and a settled refund never lowers what was taken off', async () => {
      const { store } = ctx;
      expect(await begin('refund:x', 0, 100, 'runner-a', T0, 'in_unknown')).toBe(false);
      expect(await store.listRefundApplications('in_unknown')).toEqual([]);

      expect(await begin('refund:a', 0, 500)).toBe(true);
      expect(await store.settleRefund('refund:a', true, T0 + 1, 'runner-a')).toBe(true);
      expect(await begin('refund:b', 500, 200, 'runner-a', T0 + 2)).toBe(true);
      expect(await store.settleRefund('refund:b', true, T0 + 3, 'runner-a')).toBe(true);
      expect(await refundedSent()).toBe(500);
      // Listed in the order they were last touched.
      expect(await applications()).toEqual([
        ['refund:a', 'sent', 'runner-a'],
        ['refund:b', 'sent', 'runner-a'],
      ]);
    });
  });

  describe('takeOverRefund', () => {
    it("a sending refund is its runner's until its lease ends; only then may another runner take it over", async () => {
      const { store } = ctx;
      const at = T0 + 1_000;
      expect(await begin('refund:a', 0, 300, 'runner-a', at)).toBe(true);

      // Another runner can neither take it nor settle it while the lease runs (its PATCH may be on the way).
      expect(await store.takeOverRefund({ refundKey: 'refund:a', owner: 'runner-b', now: at + LEASE - 1, leaseUntil: at + 9 * LEASE })).toBe(false);
      expect(await store.settleRefund('refund:a', false, at + 1, 'runner-b')).toBe(false);
      expect(await applications()).toEqual([['refund:a', 'sending', 'runner-a']]);

      // Its own runner may come back to it at any time, and so may the refund's own next attempt.
      const now = at + 10;
      expect(await store.takeOverRefund({ refundKey: 'refund:a', owner: 'runner-a', now, leaseUntil: now + LEASE })).toBe(true);
      expect(await store.takeOverRefund({ refundKey: 'refund:a', owner: 'runner-d', now, leaseUntil: now + LEASE, ownRetry: true })).toBe(true);
      expect((await store.listRefundApplications(INVOICE))[0]).toMatchObject({ owner: 'runner-d', leaseUntil: now + LEASE, updatedAt: now });
      expect(await store.takeOverRefund({ refundKey: 'refund:a', owner: 'runner-a', now, leaseUntil: now + LEASE })).toBe(false);
      expect(await store.takeOverRefund({ refundKey: 'refund:a', owner: 'runner-a', now, leaseUntil: now + LEASE, ownRetry: true })).toBe(true);

      // Past the lease, one of two racing runners wins; the old owner's late answer then changes nothing.
      const later = now + LEASE;
      const race = await Promise.all([
        store.takeOverRefund({ refundKey: 'refund:a', owner: 'runner-b', now: later, leaseUntil: later + LEASE }),
        store.takeOverRefund({ refundKey: 'refund:a', owner: 'runner-c', now: later, leaseUntil: later + LEASE }),
      ]);
      expect(race.filter(Boolean)).toHaveLength(1);
      const winner = race[0] ? 'runner-b' : 'runner-c';
      expect(await store.settleRefund('refund:a', true, later, 'runner-a')).toBe(false);
      expect(await refundedSent()).toBe(0);

      expect(await store.settleRefund('refund:a', true, later, winner)).toBe(true);
      expect(await refundedSent()).toBe(300);
      expect(await applications()).toEqual([['refund:a', 'sent', winner]]);
      // A sent refund is nobody's to take over.
      expect(await store.takeOverRefund({ refundKey: 'refund:a', owner: winner, now: later, leaseUntil: later + LEASE, ownRetry: true })).toBe(false);
      expect(await store.takeOverRefund({ refundKey: 'refund:none', owner: winner, now: later, leaseUntil: later + LEASE })).toBe(false);
    });
  });
}
