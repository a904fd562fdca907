import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewOutboxRecord, Store } from '../../src/db/store.js';
import { migrationsFolder } from '../../src/runtime/paths.js';
import { openSqliteStore } from '../../src/runtime/sqlite-store.js';

/** A migrated Store on a fresh SQLite file; `dispose` closes and deletes it. */
export function tempStore(): { store: Store; path: string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'dub-bridge-store-'));
  const path = join(dir, 'db.sqlite');
  const { store, close } = openSqliteStore({ path, migrationsFolder: migrationsFolder(), createDirectory: false });
  return {
    store,
    path,
    dispose() {
      close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Records one inbox event with the given outbox rows (bare commands: enough for claim tests). */
export async function seedRows(store: Store, eventKey: string, rows: Array<Partial<NewOutboxRecord> & { idempotencyKey: string }>, at = 1000): Promise<number> {
  const result = await store.recordEvent({
    inbox: { source: 'stripe', eventKey, eventType: 'test', account: null, receivedAt: at, payload: '{}', state: 'mapped', reason: null },
    outbox: rows.map((row) => ({ kind: 'sale', customerKey: null, command: '{}', rank: 1, dueAt: at, ...row })),
    links: [],
  });
  return result.inboxId;
}
