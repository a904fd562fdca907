import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { seedRows } from '../../test/helpers/temp-store.js';
import { openFileSync } from './file-sync.js';
import { migrationsFolder } from './paths.js';
import { openSqliteStore } from './sqlite-store.js';

/** Under SQLITE_SYNCHRONOUS=FULL every commit is fsynced through the WAL file, found at start. */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dub-bridge-wal-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('a DATABASE_PATH that is a symlink records webhooks: the WAL beside the real file is the one synced', async () => {
  mkdirSync(join(dir, 'volume'));
  const { close: closeReal } = openSqliteStore({ path: join(dir, 'volume', 'bridge.sqlite'), migrationsFolder: migrationsFolder(), createDirectory: false });
  closeReal();
  symlinkSync(join(dir, 'volume', 'bridge.sqlite'), join(dir, 'bridge.sqlite'));

  const { store, close } = openSqliteStore({ path: join(dir, 'bridge.sqlite'), migrationsFolder: migrationsFolder(), createDirectory: false });
  try {
    // Before, the first commit tried to open `<symlink>-wal`, which SQLite never creates: ENOENT.
    await seedRows(store, 'evt_symlinked', [{ idempotencyKey: 'k1' }]);
    expect((await store.listOutboxForInbox(1)).map((row) => row.idempotencyKey)).toEqual(['k1']);
    expect(existsSync(join(dir, 'volume', 'bridge.sqlite-wal'))).toBe(true);
    expect(existsSync(join(dir, 'bridge.sqlite-wal'))).toBe(false);
  } finally {
    close();
  }
});

test('a file to sync that cannot be opened fails at once, not at the first commit', () => {
  expect(() => openFileSync(join(dir, 'missing-wal'))).toThrow(/ENOENT/);
});
