import { afterEach } from 'vitest';
import { parseConfig } from '../../src/config.js';
import type { Store } from '../../src/db/store.js';
import { migrationsFolder } from '../../src/runtime/paths.js';
import { openSqliteStore } from '../../src/runtime/sqlite-store.js';
import { childDefaults, openDatabase, startChildBridge, tempDatabasePath, type ChildBridge } from '../helpers/child-bridge.js';
import { startFakeDub, type FakeDub, type FakeDubOptions } from '../helpers/fake-dub.js';

/** What one integration test works with: a fake Dub, bridge processes on one SQLite file, a reader. */
export interface Rig {
  dub: FakeDub;
  dbPath: string;
  env: Record<string, string>;
  db: ReturnType<typeof openDatabase>;
  /** Starts (or restarts) a bridge process on the rig's database. */
  start(extraEnv?: Record<string, string>): Promise<ChildBridge>;
  /** The Store on the same file, as the CLI opens it (for replay). */
  store(): Store;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Builds a rig whose processes and files are cleaned up after the test. */
export async function rig(options: { dub?: FakeDubOptions; env?: Record<string, string> } = {}): Promise<Rig> {
  const dub = await startFakeDub(options.dub);
  cleanups.push(() => dub.close());
  const dbPath = tempDatabasePath();
  const env = { DATABASE_PATH: dbPath, DUB_API_URL: dub.url, DUB_API_KEY: dub.apiKey, ...options.env };
  let db: ReturnType<typeof openDatabase> | null = null;
  return {
    dub,
    dbPath,
    env,
    get db() {
      if (!db) {
        db = openDatabase(dbPath);
        const opened = db;
        cleanups.push(() => {
          opened.close();
        });
      }
      return db;
    },
    async start(extraEnv = {}) {
      const bridge = await startChildBridge({ ...env, ...extraEnv });
      cleanups.push(async () => {
        await bridge.kill('SIGKILL');
      });
      return bridge;
    },
    store() {
      const opened = openSqliteStore({ path: dbPath, migrationsFolder: migrationsFolder(), createDirectory: false });
      cleanups.push(() => opened.close());
      return opened.store;
    },
  };
}

/** The config the CLI would build for this rig (replay's remap reads TEST_EVENTS and tenants from it). */
export const rigConfig = (r: Rig) => parseConfig({ ...childDefaults, ...r.env });

export interface OutboxView {
  id: number;
  inbox_id: number;
  kind: string;
  state: string;
  attempts: number;
  last_error: string | null;
  command: string;
  idempotency_key: string;
}

/** Outbox rows by state, from the database file. */
export function outboxStates(r: Rig): Record<string, number> {
  const rows = r.db.all<{ state: string; n: number }>('SELECT state, count(*) AS n FROM outbox GROUP BY state');
  return Object.fromEntries(rows.map((row) => [row.state, row.n]));
}

/** Successful `POST /track/sale` calls Dub saw, per invoiceId. */
export function salesPerInvoice(dub: FakeDub): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of dub.calls('POST', '/track/sale')) {
    if (request.status !== 200) continue;
    counts.set(request.body.invoiceId, (counts.get(request.body.invoiceId) ?? 0) + 1);
  }
  return counts;
}
