import { describe, expect, it } from 'vitest';
import type { OutboxState } from '../../src/db/schema.js';
import { personalCommands } from './compliance-contract.js';
import { command, finish, inboxRecord, record, rowsOf, saleCommand, storedCommand, T0, type ContractContext } from './fixtures.js';

const RECENT = T0 + 100;
const personal = (key: string, overrides = {}) => command(key, { kind: 'lead', command: JSON.stringify(personalCommands.lead), ...overrides });

/** Retention's three batched methods; each takes rows received (or created) at or before `before`. */
export function retentionContract(ctx: ContractContext): void {
  /** Events at T0 whose commands end in `states` (one per state), and one recent delivered event. */
  async function seed(events: Record<string, OutboxState[]>) {
    const { store } = ctx;
    const ids: Record<string, number> = {};
    const finalStates: Record<string, OutboxState> = {};
    for (const [name, states] of Object.entries(events)) {
      const rows = states.map((state, i) => {
        finalStates[`${name}:${i}`] = state;
        return personal(`${name}:${i}`);
      });
      if (name === 'done') rows[0] = saleCommand('in_done', { charge: 'ch_done' }, { idempotencyKey: 'done:0', command: rows[0]!.command });
      if (rows.length) ids[name] = await record(store, `evt_${name}`, rows);
      else ids[name] = (await store.recordEvent({ inbox: inboxRecord(`evt_${name}`, { state: 'ignored' }), outbox: [], links: [] })).inboxId;
    }
    ids.recent = await record(store, 'evt_recent', [personal('recent:0', { dueAt: RECENT })]);
    await finish(store, finalStates, T0);
    await finish(store, { 'recent:0': 'delivered' }, RECENT);
    return ids;
  }

  describe('prunePayloads', () => {
    it('drops raw payloads received at or before the cutoff, at most `limit` per call', async () => {
      const { store } = ctx;
      const ids = await seed({ a: [], b: [], c: [] });
      expect(await store.prunePayloads(T0, 2)).toBe(2);
      expect(await store.prunePayloads(T0, 2)).toBe(1);
      expect(await store.prunePayloads(T0, 2)).toBe(0);
      for (const name of ['a', 'b', 'c']) expect((await store.getInbox(ids[name]!))?.payload).toBeNull();
      expect((await store.getInbox(ids.recent!))?.payload).toBe(JSON.stringify({ id: 'evt_recent' }));
      expect(await store.prunePayloads(RECENT)).toBe(1);
    });
  });

  describe('scrubFinishedCommands', () => {
    it('strips personal fields from finished commands created by the cutoff, never from pending ones', async () => {
      const { store } = ctx;
      const ids = await seed({ x: ['delivered', 'dead', 'dry_run', 'not_attributed', 'pending'] });
      expect(await store.scrubFinishedCommands(T0, 3)).toBe(3);
      expect(await store.scrubFinishedCommands(T0, 3)).toBe(1);
      expect(await store.scrubFinishedCommands(T0, 3)).toBe(0);
      const rows = await rowsOf(store, ids.x!);
      for (const key of ['x:0', 'x:1', 'x:2', 'x:3']) {
        expect(rows[key]!.scrubbedAt, key).toEqual(expect.any(Number));
        expect(await storedCommand(store, rows[key]!.id), key).toEqual(personalCommands.leadScrubbed);
        expect(rows[key]!.state).not.toBe('pending');
      }
      // Still to be sent with its name and email.
      expect(rows['x:4']).toMatchObject({ state: 'pending', scrubbedAt: null, command: JSON.stringify(personalCommands.lead) });
      const [recent] = await store.listOutboxForInbox(ids.recent!);
      expect(recent).toMatchObject({ scrubbedAt: null, command: JSON.stringify(personalCommands.lead) });
    });
  });

  describe('deleteFinishedRows', () => {
    it('deletes old events whose commands are all done, with them; dead letters, dry runs and pending work stay; so does the sale ledger', async () => {
      const { store } = ctx;
      const ids = await seed({
        done: ['delivered', 'skipped', 'not_attributed'],
        ignored: [],
        dead: ['delivered', 'dead'],
        dry: ['dry_run'],
        busy: ['pending'],
      });
      const doneRows = await store.listOutboxForInbox(ids.done!);
      expect(await store.deleteFinishedRows(T0, 1)).toEqual({ inbox: 1, outbox: 3 });
      expect(await store.getInbox(ids.done!)).toBeUndefined();
      expect(await store.getOutbox(doneRows[0]!.id)).toBeUndefined();
      expect(await store.deleteFinishedRows(T0, 10)).toEqual({ inbox: 1, outbox: 0 });
      expect(await store.getInbox(ids.ignored!)).toBeUndefined();
      expect(await store.deleteFinishedRows(T0, 10)).toEqual({ inbox: 0, outbox: 0 });
      for (const name of ['dead', 'dry', 'busy', 'recent']) expect(await store.getInbox(ids[name]!), name).toBeDefined();
      expect(await store.stats()).toMatchObject({ inboxCount: 4 });

      // A refund months later still finds the deleted event's sale.
      expect(await store.findSale({ refs: { charge: 'ch_done' } })).toMatchObject({ invoiceId: 'in_done', outboxId: doneRows[0]!.id });
      expect(await store.deleteFinishedRows(RECENT)).toEqual({ inbox: 1, outbox: 1 });
    });
  });
}
