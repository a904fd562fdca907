import { describe, expect, it } from 'vitest';
import { command, finish, record, T0, type ContractContext } from './fixtures.js';

/** stats, the row getters and ping: what `status`, the console and /healthz read. */
export function readsContract(ctx: ContractContext): void {
  describe('stats', () => {
    it('an empty store counts nothing', async () => {
      expect(await ctx.store.stats()).toEqual({
        counts: { pending: 0, delivered: 0, not_attributed: 0, skipped: 0, dry_run: 0, dead: 0 },
        oldestPendingCreatedAt: null,
        inboxCount: 0,
      });
    });

    it('counts rows per state, the oldest pending row and the events', async () => {
      const { store } = ctx;
      await record(store, 'evt_1', [command('d1'), command('d2'), command('dead'), command('skip'), command('dry'), command('na')]);
      await record(store, 'evt_2', [command('p1', { dueAt: T0 + 10 })]);
      await record(store, 'evt_3', [command('p2', { dueAt: T0 + 20 })]);
      await finish(store, { d1: 'delivered', d2: 'delivered', dead: 'dead', skip: 'skipped', dry: 'dry_run', na: 'not_attributed' }, T0);
      expect(await store.stats()).toEqual({
        counts: { pending: 2, delivered: 2, not_attributed: 1, skipped: 1, dry_run: 1, dead: 1 },
        oldestPendingCreatedAt: T0 + 10,
        inboxCount: 3,
      });
    });
  });

  describe('getOutbox / getInbox / listOutboxForInbox / ping', () => {
    it("read rows by id, an event's rows in order, and nothing for unknown ids", async () => {
      const { store } = ctx;
      const inboxId = await record(store, 'evt_1', [command('first'), command('second')]);
      const rows = await store.listOutboxForInbox(inboxId);
      expect(rows.map((row) => row.idempotencyKey)).toEqual(['first', 'second']);
      expect(rows[0]!.id).toBeLessThan(rows[1]!.id);
      expect(await store.getOutbox(rows[1]!.id)).toEqual(rows[1]);
      expect(await store.getInbox(inboxId)).toMatchObject({ id: inboxId, eventKey: 'evt_1' });
      expect(await store.getOutbox(999_999)).toBeUndefined();
      expect(await store.getInbox(999_999)).toBeUndefined();
      expect(await store.listOutboxForInbox(999_999)).toEqual([]);
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
