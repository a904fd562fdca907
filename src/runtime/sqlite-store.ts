import { mkdirSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { SQL } from 'drizzle-orm';
import * as schema from '../db/schema.js';
import { createDrizzleStore, type AnySQLiteDatabase } from '../db/drizzle-store.js';
import type { Store } from '../db/store.js';

export class DatabaseOpenError extends Error {
  override readonly name = 'DatabaseOpenError';
}

export interface OpenSqliteOptions {
  path: string;
  migrationsFolder: string;
  /** Create the file's directory when missing (the default path on a fresh clone). */
  createDirectory: boolean;
}

/**
 * Opens the SQLite file in WAL mode, applies pending migrations and returns the Store. Problems a
 * operator must fix (missing directory, read-only file) become one clear DatabaseOpenError.
 */
export function openSqliteStore(options: OpenSqliteOptions): { store: Store; close: () => void } {
  const path = resolve(options.path);
  const directory = dirname(path);
  if (!existsSync(directory)) {
    if (!options.createDirectory) {
      throw new DatabaseOpenError(`DATABASE_PATH: directory ${directory} does not exist; create it or point DATABASE_PATH elsewhere`);
    }
    mkdirSync(directory, { recursive: true });
  }
  let sqlite: Database.Database;
  try {
    sqlite = new Database(path);
    sqlite.pragma('journal_mode = WAL');
    // FULL: an acknowledged event survives a power cut, not only a process crash.
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
  } catch (error) {
    throw new DatabaseOpenError(`DATABASE_PATH: cannot open ${path}: ${(error as Error).message}`);
  }
  const db = drizzle(sqlite, { schema });
  try {
    migrate(db, { migrationsFolder: options.migrationsFolder });
  } catch (error) {
    sqlite.close();
    const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
    throw new DatabaseOpenError(`DATABASE_PATH: cannot migrate ${path}: ${cause}`);
  }
  const atomic = async (statements: SQL[]) => {
    db.transaction((tx) => {
      for (const statement of statements) tx.run(statement);
    });
  };
  return { store: createDrizzleStore(db as unknown as AnySQLiteDatabase, atomic), close: () => sqlite.close() };
}
