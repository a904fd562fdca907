import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { RecordEventInput, Store } from '../db/store.js';
import { createFileSync } from './file-sync.js';
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
      write([
        { id: 2, note: 'ok' },
        { id: 3, note: null },
      ]),
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

describe('createGroupCommit results', () => {
  test('each caller gets what the commit returned for its own write set, also when a failed group is retried one by one', async () => {
    const commits: number[][] = [];
    const commit = createGroupCommit((batch: number[]) => {
      commits.push(batch);
      if (batch.includes(0)) throw new Error('zero');
      return batch.map((n) => n * 10);
    });
    expect(await Promise.all([1, 2, 3].map(commit))).toEqual([10, 20, 30]);
    const settled = await Promise.allSettled([4, 0, 5].map(commit));
    expect(settled.map((r) => (r.status === 'fulfilled' ? r.value : 'rejected'))).toEqual([40, 'rejected', 50]);
    expect(commits).toEqual([[1, 2, 3], [4, 0, 5], [4], [0], [5]]);
  });
});

describe('createGroupCommit with a durable step (FULL: the WAL fsync off the event loop)', () => {
  function deferred() {
    let resolve!: () => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
    return { promise, resolve, reject };
  }

  test('no write settles before the sync after its commit ends; a failed sync fails every write of its group', async () => {
    const syncs: Array<ReturnType<typeof deferred>> = [];
    const committed: number[] = [];
    const write = createGroupCommit((batch: number[]) => batch.map((n) => (committed.push(n), n)), {
      durable: () => {
        syncs.push(deferred());
        return syncs.at(-1)!.promise;
      },
    });
    let settled = 0;
    const first = Promise.all([write(1), write(2)]).finally(() => settled++);
    await new Promise((resolve) => setImmediate(resolve));
    expect(committed).toEqual([1, 2]);
    expect(syncs).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(settled).toBe(0);
    syncs[0]!.resolve();
    expect(await first).toEqual([1, 2]);

    const second = Promise.allSettled([write(3), write(4)]);
    await new Promise((resolve) => setImmediate(resolve));
    syncs[1]!.reject(new Error('EIO'));
    expect((await second).map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
  test('writes handed in while a sync runs are committed together once it ends', async () => {
    const syncs: Array<ReturnType<typeof deferred>> = [];
    const commits: number[][] = [];
    const write = createGroupCommit((batch: number[]) => (commits.push(batch), batch), {
      durable: () => {
        syncs.push(deferred());
        return syncs.at(-1)!.promise;
      },
    });
    const first = write(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [write(2), write(3)];
    await new Promise((resolve) => setImmediate(resolve));
    const alsoLater = write(4);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(commits).toEqual([[1]]);
    syncs[0]!.resolve();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(commits).toEqual([[1], [2, 3, 4]]);
    syncs[1]!.resolve();
    expect(await Promise.all([...later, alsoLater])).toEqual([2, 3, 4]);
  });
});

describe('createFileSync', () => {
  test('opens the file on the first sync and keeps it: later syncs resolve even after it was renamed', async () => {
    const path = join(dir, 'file');
    writeFileSync(path, 'data');
    const sync = createFileSync(path);
    await sync();
    renameSync(path, join(dir, 'moved'));
    await Promise.all([sync(), sync()]);
  });

  test('a sync of a file that cannot be opened fails instead of pretending', async () => {
    await expect(createFileSync(join(dir, 'missing'))()).rejects.toThrow(/ENOENT/);
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
    outbox: [
      {
        kind: 'sale',
        idempotencyKey: `sale:stripe:${invoiceId}`,
        customerKey: 'c',
        command: '{}',
        rank: 1,
        dueAt: 1,
        sale: { invoiceId, amount: 100, currency: 'usd', refs: {} },
      },
    ],
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
    expect(other!.inboxId).not.toBe(first!.inboxId);
    expect((await store.getInbox(first!.inboxId))?.eventKey).toBe('evt_1');
    expect((await store.getInbox(other!.inboxId))?.eventKey).toBe('evt_2');
    expect((await store.stats()).counts.pending).toBe(2);
  });
});
