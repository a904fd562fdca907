import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { RecordEventInput, Store } from '../db/store.js';
import { createGroupCommit } from './group-commit.js';
import { migrationsFolder } from './paths.js';
import { openSqliteStore } from './sqlite-store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'group-commit-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('createGroupCommit on a real SQLite file', () => {
  type Row = { id: number; note: string | null };
  let db: Database.Database;
  let transactions: number;
  let write: (rows: Row[]) => Promise<void>;

  beforeEach(() => {
    db = new Database(join(dir, 'g.sqlite'));
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT NOT NULL)');
    transactions = 0;
    const insert = db.prepare('INSERT INTO t (id, note) VALUES (?, ?)');
    const runAll = db.transaction((batch: Row[][]) => {
      transactions++;
      for (const rows of batch) for (const row of rows) insert.run(row.id, row.note);
    });
    write = createGroupCommit(runAll);
  });
  afterEach(() => db.close());

  const readBack = () => {
    const reader = new Database(join(dir, 'g.sqlite'), { readonly: true });
    try {
      return (reader.prepare('SELECT id FROM t ORDER BY id').all() as Array<{ id: number }>).map((r) => r.id);
    } finally {
      reader.close();
    }
  };

  test('writes handed in together share one transaction, and each is readable once its promise resolves', async () => {
    await Promise.all([1, 2, 3].map((id) => write([{ id, note: `n${id}` }]).then(() => expect(readBack()).toContain(id))));
    expect(transactions).toBe(1);
    expect(readBack()).toEqual([1, 2, 3]);
  });

  test('a failing write set fails alone: the others in its group are still committed', async () => {
    const results = await Promise.allSettled([
      write([{ id: 1, note: 'ok' }]),
      write([{ id: 2, note: 'ok' }, { id: 3, note: null }]),
      write([{ id: 4, note: 'ok' }]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toMatch(/NOT NULL/);
    // All or nothing per write set: row 2 went with row 3.
    expect(readBack()).toEqual([1, 4]);
  });

  test('writes handed in later start a new group', async () => {
    await write([{ id: 1, note: 'a' }]);
    await write([{ id: 2, note: 'b' }]);
    expect(transactions).toBe(2);
  });
});

describe('the SQLite store records concurrent webhooks with group commit', () => {
  let store: Store;
  let close: () => void;
  beforeEach(() => {
    ({ store, close } = openSqliteStore({ path: join(dir, 'bridge.sqlite'), migrationsFolder: migrationsFolder(), createDirectory: false }));
  });
  afterEach(() => close());

  const event = (eventKey: string, invoiceId: string): RecordEventInput => ({
    inbox: { source: 'stripe', eventKey, eventType: 'checkout.session.completed', account: null, receivedAt: 1, payload: '{}', state: 'mapped', reason: null },
    outbox: [{ kind: 'sale', idempotencyKey: `sale:stripe:${invoiceId}`, customerKey: 'c', command: '{}', rank: 1, dueAt: 1, sale: { invoiceId, amount: 100, currency: 'usd', refs: {} } }],
    links: [],
  });

  test('a redelivery arriving together with the first delivery is recorded once and reported as a duplicate', async () => {
    const [first, again, other] = await Promise.all([
      store.recordEvent(event('evt_1', 'in_1')),
      store.recordEvent(event('evt_1', 'in_1')),
      store.recordEvent(event('evt_2', 'in_2')),
    ]);
    expect(first).toMatchObject({ duplicate: false, queued: 1 });
    expect(again).toMatchObject({ duplicate: true, inboxId: first!.inboxId });
    expect(other).toMatchObject({ duplicate: false, queued: 1 });
    expect((await store.stats()).counts.pending).toBe(2);
  });
});
