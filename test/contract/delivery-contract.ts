import { describe, expect, it } from 'vitest';
import type { DeliveredState } from '../../src/db/store.js';
import { claimOf, command, record, T0, type ContractContext } from './fixtures.js';

const keys = (rows: Array<{ idempotencyKey: string }>) => rows.map((row) => row.idempotencyKey).sort();

/** claimDue and the marks a dispatcher makes with its claim. */
export function deliveryContract(ctx: ContractContext): void {
  describe('claimDue', () => {
    it('leases due rows, oldest due first, up to the limit; rows not due yet stay', async () => {
      const { store } = ctx;
      await record(store, 'evt_1', [command('b', { dueAt: T0 + 20 }), command('a', { dueAt: T0 + 10 }), command('later', { dueAt: T0 + 500 })]);
      // The rows come back in no particular order; which rows is the contract.
      const claimed = (await store.claimDue(T0 + 100, 10, 1_000)).sort((x, y) => x.idempotencyKey.localeCompare(y.idempotencyKey));
      expect(claimed.map((row) => [row.idempotencyKey, row.attempts, row.leaseUntil, row.state])).toEqual([
        ['a', 1, T0 + 1_100, 'pending'],
        ['b', 1, T0 + 1_100, 'pending'],
      ]);
      await record(store, 'evt_2', [command('c', { dueAt: T0 }), command('d', { dueAt: T0 + 1 })]);
      expect(keys(await store.claimDue(T0 + 100, 1, 1_000))).toEqual(['c']);
    });

    it('never hands a leased row to a second claimer until its lease runs out', async () => {
      const { store } = ctx;
      await record(store, 'evt_1', [command('one'), command('two')]);
      const [x, y] = await Promise.all([store.claimDue(T0, 1, 1_000), store.claimDue(T0, 1, 1_000)]);
      expect(keys([...x!, ...y!])).toEqual(['one', 'two']);
      expect(await store.claimDue(T0 + 999, 10, 1_000)).toEqual([]);
      const again = (await store.claimDue(T0 + 1_000, 10, 500)).sort((a, b) => a.id - b.id);
      expect(again.map((row) => [row.idempotencyKey, row.attempts, row.leaseUntil])).toEqual([
        ['one', 2, T0 + 1_500],
        ['two', 2, T0 + 1_500],
      ]);
    });

    it("holds a customer's sale while that customer's lead is pending, per tenant", async () => {
      const { store } = ctx;
      await record(store, 'evt_sale', [command('sale:c1', { customerKey: 'c1' })]);
      await record(store, 'evt_lead', [command('lead:c1', { kind: 'lead', customerKey: 'c1' })]);
      await record(store, 'evt_other', [command('sale:c2', { customerKey: 'c2' }), command('sale:anon')]);
      await record(store, 'evt_tenant', [command('acme:lead:c2', { kind: 'lead', customerKey: 'c2', tenant: 'acme' })]);
      const claimed = await store.claimDue(T0, 10, 1_000);
      expect(keys(claimed)).toEqual(['acme:lead:c2', 'lead:c1', 'sale:anon', 'sale:c2']);
      // Still held while the lead is leased, then due once it is delivered.
      expect(await store.claimDue(T0 + 10, 10, 1_000)).toEqual([]);
      const lead = claimed.find((row) => row.idempotencyKey === 'lead:c1')!;
      expect(await store.markDelivered(claimOf(lead), 'delivered', '{}', T0 + 20)).toBe(true);
      expect(keys(await store.claimDue(T0 + 30, 10, 1_000))).toEqual(['sale:c1']);
    });

    it('leaves the rows of paused keys alone (null is the default DUB_API_KEY)', async () => {
      const { store } = ctx;
      await record(store, 'evt_1', [command('acme:1', { tenant: 'acme' }), command('env:1'), command('beta:1', { tenant: 'beta' })]);
      expect(keys(await store.claimDue(T0, 10, 1_000, [null, 'beta']))).toEqual(['acme:1']);
      expect(keys(await store.claimDue(T0, 10, 1_000, ['acme']))).toEqual(['beta:1', 'env:1']);
    });

    it('leaves the rows of paused keys alone however many tenants are paused', async () => {
      const { store } = ctx;
      const paused = [null, ...Array.from({ length: 150 }, (_, i) => `tenant-${i}`)];
      await record(store, 'evt_1', [command('t7:1', { tenant: 'tenant-7' }), command('env:1'), command('live:1', { tenant: 'live' })]);
      expect(keys(await store.claimDue(T0, 10, 1_000, paused))).toEqual(['live:1']);
    });

    it('never claims finished rows', async () => {
      const { store } = ctx;
      await record(store, 'evt_1', [command('done'), command('dead')]);
      for (const row of await store.claimDue(T0, 10, 1)) {
        if (row.idempotencyKey === 'done') await store.markDelivered(claimOf(row), 'delivered', '{}', T0);
        else await store.markDead(claimOf(row), 'boom', T0);
      }
      expect(await store.claimDue(T0 + 10_000, 10, 1)).toEqual([]);
    });
  });

  describe('marks fenced by the claim', () => {
    it.each<DeliveredState>(['delivered', 'not_attributed', 'skipped', 'dry_run'])('markDelivered finishes a claimed row as %s', async (state) => {
      const { store } = ctx;
      await record(store, 'evt_1', [command('k')]);
      const [row] = await store.claimDue(T0, 1, 1_000);
      await store.markRetry(claimOf(row!), T0, 'first try failed');
      const [retried] = await store.claimDue(T0, 1, 1_000);
      expect(await store.markDelivered(claimOf(retried!), state, '{"id":"x"}', T0 + 5)).toBe(true);
      expect(await store.getOutbox(row!.id)).toMatchObject({
        state,
        response: '{"id":"x"}',
        deliveredAt: T0 + 5,
        leaseUntil: null,
        lastError: null,
        attempts: 2,
      });
    });

    it('markRetry keeps the row pending until its next attempt, counting the attempt', async () => {
      const { store } = ctx;
      await record(store, 'evt_1', [command('k')]);
      const [row] = await store.claimDue(T0, 1, 1_000);
      expect(await store.markRetry(claimOf(row!), T0 + 300, 'HTTP 503')).toBe(true);
      expect(await store.getOutbox(row!.id)).toMatchObject({ state: 'pending', nextAttemptAt: T0 + 300, lastError: 'HTTP 503', leaseUntil: null, attempts: 1 });
      expect(await store.claimDue(T0 + 299, 1, 1_000)).toEqual([]);
      expect(await store.claimDue(T0 + 300, 1, 1_000)).toMatchObject([{ attempts: 2 }]);
    });

    it('markDead makes a dead letter with its error and time', async () => {
      const { store } = ctx;
      await record(store, 'evt_1', [command('k')]);
      const [row] = await store.claimDue(T0, 1, 1_000);
      expect(await store.markDead(claimOf(row!), 'HTTP 422: bad body', T0 + 7)).toBe(true);
      expect(await store.getOutbox(row!.id)).toMatchObject({ state: 'dead', lastError: 'HTTP 422: bad body', deliveredAt: T0 + 7, leaseUntil: null });
    });

    it('release gives the row back without counting the attempt', async () => {
      const { store } = ctx;
      await record(store, 'evt_1', [command('k')]);
      const [row] = await store.claimDue(T0, 1, 1_000);
      expect(await store.release(claimOf(row!), T0 + 50, 'delivery paused')).toBe(true);
      expect(await store.getOutbox(row!.id)).toMatchObject({
        state: 'pending',
        attempts: 0,
        nextAttemptAt: T0 + 50,
        lastError: 'delivery paused',
        leaseUntil: null,
      });
      expect(await store.claimDue(T0 + 50, 1, 1_000)).toMatchObject([{ attempts: 1 }]);
    });

    it("a stale claim's marks change nothing once the row was claimed again", async () => {
      const { store } = ctx;
      await record(store, 'evt_1', [command('k')]);
      const [stale] = await store.claimDue(T0, 1, 1_000);
      const [fresh] = await store.claimDue(T0 + 1_000, 1, 1_000);
      expect(fresh).toMatchObject({ id: stale!.id, attempts: 2, leaseUntil: T0 + 2_000 });
      const old = claimOf(stale!);
      expect(await store.markDelivered(old, 'delivered', '{}', T0 + 1_100)).toBe(false);
      expect(await store.markRetry(old, T0 + 9_000, 'late')).toBe(false);
      expect(await store.markDead(old, 'late', T0 + 1_100)).toBe(false);
      expect(await store.release(old, T0 + 9_000, 'late')).toBe(false);
      expect(await store.getOutbox(stale!.id)).toEqual(fresh);

      // A release puts attempts back to 1, yet the first claim's lease still tells it apart.
      expect(await store.release(claimOf(fresh!), T0 + 1_200, 'paused')).toBe(true);
      expect(await store.markDelivered(old, 'delivered', '{}', T0 + 1_300)).toBe(false);
      const [third] = await store.claimDue(T0 + 1_300, 1, 1_000);
      expect(await store.markDelivered(claimOf(third!), 'delivered', '{}', T0 + 1_400)).toBe(true);
      // Finished: even the claim that finished it cannot mark it again.
      expect(await store.markDead(claimOf(third!), 'again', T0 + 1_500)).toBe(false);
      expect(await store.getOutbox(stale!.id)).toMatchObject({ state: 'delivered', deliveredAt: T0 + 1_400 });
      expect(await store.markDelivered({ id: 999_999, attempts: 1, leaseUntil: null }, 'delivered', '{}', T0)).toBe(false);
    });
  });
}
