import Database from 'better-sqlite3';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { tempStore } from '../../test/helpers/temp-store.js';
import { findRefundSale } from '../deliver/refund-sale.js';
import { isRetentionRun, retentionStatements, runRetention } from './scrub.js';
import type { NewOutboxRecord, Store } from './store.js';

/** RETENTION_DAYS and ROW_RETENTION_DAYS on a real SQLite file, in bounded batches. */
const DAY = 86_400_000;
const NOW = 1_000 * DAY;
const options = { retentionDays: 30, rowRetentionDays: 90, now: NOW };

let store: Store;
let db: Database.Database;
let dispose: () => void;
beforeEach(() => {
  const temp = tempStore();
  ({ store, dispose } = temp);
  db = new Database(temp.path);
});
afterEach(() => {
  db.close();
  dispose();
});

const personal = (id: string) =>
  JSON.stringify({
    kind: 'lead',
    body: { clickId: 'cl_1', eventName: 'Sign up', customerExternalId: id, customerEmail: `${id}@example.com`, customerName: 'Ada Lovelace' },
  });

/** One event `ageDays` old whose commands end in `states` (one command per state). */
async function event(name: string, ageDays: number, states: string[], sale = false) {
  const receivedAt = NOW - ageDays * DAY;
  const outbox: NewOutboxRecord[] = states.map((_, i) => ({
    kind: sale && i === 0 ? 'sale' : 'lead',
    idempotencyKey: `${name}:${i}`,
    customerKey: name,
    command: personal(name),
    rank: 1,
    dueAt: receivedAt,
    ...(sale && i === 0 ? { sale: { invoiceId: `inv_${name}`, amount: 1000, currency: 'usd', refs: { charge: `ch_${name}` } } } : {}),
  }));
  const recorded = await store.recordEvent({
    inbox: {
      source: 'stripe',
      eventKey: `evt_${name}`,
      eventType: 'test',
      account: null,
      receivedAt,
      payload: `{"email":"${name}@example.com"}`,
      state: outbox.length ? 'mapped' : 'ignored',
      reason: null,
    },
    outbox,
    links: [],
  });
  states.forEach((state, i) => db.prepare('UPDATE outbox SET state = ? WHERE idempotency_key = ?').run(state, `${name}:${i}`));
  return recorded.inboxId;
}

const inboxRows = () => db.prepare('SELECT event_key AS key, payload IS NULL AS pruned FROM inbox ORDER BY id').all();
const outboxRows = () =>
  db
    .prepare(
      `SELECT idempotency_key AS key, state, scrubbed_at IS NOT NULL AS marked, json_type(command, '$.body.customerEmail') IS NULL AS scrubbed FROM outbox ORDER BY id`,
    )
    .all();

describe('retention', () => {
  test('prunes payloads and personal fields past RETENTION_DAYS, deletes finished events past ROW_RETENTION_DAYS, keeps what is still at work or replayable', async () => {
    await event('old_delivered', 100, ['delivered', 'skipped'], true);
    await event('old_ignored', 100, []);
    await event('old_dead', 100, ['delivered', 'dead']);
    await event('old_pending', 100, ['pending']);
    await event('old_dry_run', 100, ['dry_run']);
    await event('month_old', 40, ['not_attributed']);
    await event('recent', 1, ['delivered']);

    const report = await runRetention(store, options);
    expect(report).toEqual({ payloads: 6, commands: 6, deletedInbox: 2, deletedOutbox: 2, complete: true });
    expect(inboxRows()).toEqual([
      { key: 'evt_old_dead', pruned: 1 },
      { key: 'evt_old_pending', pruned: 1 },
      { key: 'evt_old_dry_run', pruned: 1 },
      { key: 'evt_month_old', pruned: 1 },
      { key: 'evt_recent', pruned: 0 },
    ]);
    expect(outboxRows()).toEqual([
      { key: 'old_dead:0', state: 'delivered', marked: 1, scrubbed: 1 },
      { key: 'old_dead:1', state: 'dead', marked: 1, scrubbed: 1 },
      // Pending: its name and email are still needed to deliver it.
      { key: 'old_pending:0', state: 'pending', marked: 0, scrubbed: 0 },
      // Dry runs and dead letters stay for `replay` (without the personal fields past RETENTION_DAYS).
      { key: 'old_dry_run:0', state: 'dry_run', marked: 1, scrubbed: 1 },
      { key: 'month_old:0', state: 'not_attributed', marked: 1, scrubbed: 1 },
      { key: 'recent:0', state: 'delivered', marked: 0, scrubbed: 0 },
    ]);

    // The sale ledger outlives its deleted rows: a refund months later still finds its sale.
    expect(db.prepare('SELECT invoice_id FROM sale_ledger').all()).toEqual([{ invoice_id: 'inv_old_delivered' }]);
    const refund = { refs: { chargeId: 'ch_old_delivered' }, refundedTotal: 500, fullyRefunded: false, currency: 'usd', refundId: 'ch_old_delivered' };
    expect(await findRefundSale(refund, store)).toMatchObject({ found: true, sale: { invoiceId: 'inv_old_delivered' } });

    // A second run finds nothing left to do.
    expect(await runRetention(store, options)).toEqual({ payloads: 0, commands: 0, deletedInbox: 0, deletedOutbox: 0, complete: true });
  });

  test('works in batches: a run stops after maxBatches and the next one goes on', async () => {
    for (let i = 0; i < 5; i++) await event(`e${i}`, 100, ['delivered']);
    const first = await runRetention(store, { ...options, batchSize: 2, maxBatches: 1 });
    expect(first).toEqual({ payloads: 2, commands: 2, deletedInbox: 2, deletedOutbox: 2, complete: false });
    const second = await runRetention(store, { ...options, batchSize: 2, maxBatches: 5 });
    expect(second).toEqual({ payloads: 3, commands: 3, deletedInbox: 3, deletedOutbox: 3, complete: true });
    expect(inboxRows()).toEqual([]);
  });

  test('every retention statement searches an index, never scans inbox or outbox', () => {
    const dialect = new SQLiteSyncDialect();
    for (const [name, build] of Object.entries(retentionStatements)) {
      const query = dialect.sqlToQuery(build(NOW, 500));
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...(query.params as unknown[])) as Array<{ detail: string }>;
      const details = plan.map((step) => step.detail);
      expect(
        details.filter((d) => /^SCAN (inbox|outbox|i|o)\b/.test(d)),
        `${name}: ${details.join(' | ')}`,
      ).toEqual([]);
      expect(
        details.some((d) => /^SEARCH /.test(d)),
        name,
      ).toBe(true);
    }
  });

  test('on Workers the every-minute Cron applies retention once an hour, in the run at minute 0', () => {
    const hour = Date.UTC(2026, 0, 1, 13, 0, 0);
    expect(isRetentionRun(hour)).toBe(true);
    expect(isRetentionRun(hour + 59_999)).toBe(true);
    const minutes = Array.from({ length: 60 }, (_, m) => isRetentionRun(hour + m * 60_000));
    expect(minutes.filter(Boolean)).toHaveLength(1);
  });
});
