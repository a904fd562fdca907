import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { Config } from '../config.js';
import type { AnySQLiteDatabase } from '../db/drizzle-store.js';
import * as schema from '../db/schema.js';
import type { Store } from '../db/store.js';
import { migrationsFolder } from '../runtime/paths.js';
import { readMigrationState, type MigrationState } from '../runtime/migration-state.js';
import { openSqliteStore } from '../runtime/sqlite-store.js';

export type { MigrationState } from '../runtime/migration-state.js';
import { configError } from './errors.js';

const DEFAULT_DATABASE_PATH = './data/dub-bridge.sqlite';

/**
 * The bridge's database as the CLI uses it: the Store (migrated, for writes such as requeue) and a
 * read-only drizzle connection for the listings the Store interface has no method for. The CLI
 * runs on the host like `src/runtime/`, so it opens the SQLite file itself.
 */
export interface CliDatabase {
  /** The configuration it was opened with. */
  config: Config;
  path: string;
  store: Store;
  reader: AnySQLiteDatabase;
  close(): void;
}

/** Opens an existing database; a missing file is a configuration problem (exit 78), not created. */
export function openCliDatabase(config: Config): CliDatabase {
  const path = resolve(config.DATABASE_PATH);
  if (!existsSync(path)) {
    throw configError(`DATABASE_PATH: no database at ${path}; start the bridge or run "dub-bridge migrate" first`);
  }
  const { store, close } = openSqliteStore({ path, migrationsFolder: migrationsFolder(), createDirectory: false });
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  return {
    config,
    path,
    store,
    reader: drizzle(sqlite, { schema }) as unknown as AnySQLiteDatabase,
    close() {
      sqlite.close();
      close();
    },
  };
}

/** Opens (creating the default directory on a fresh install, as `npm start` does) and migrates. */
export function migrateDatabase(config: Config): { path: string; created: boolean; before: MigrationState; after: MigrationState } {
  const path = resolve(config.DATABASE_PATH);
  const created = !existsSync(path);
  const before = migrationState(path);
  const { close } = openSqliteStore({
    path,
    migrationsFolder: migrationsFolder(),
    createDirectory: config.DATABASE_PATH === DEFAULT_DATABASE_PATH,
  });
  close();
  return { path, created, before, after: migrationState(path) };
}

/** Which migrations of the journal a database has (the CLI's `migrate` and `status`). */
export function migrationState(path: string): MigrationState {
  try {
    return readMigrationState(path);
  } catch (error) {
    throw configError(`DATABASE_PATH: cannot read ${path}: ${(error as Error).message}`);
  }
}
