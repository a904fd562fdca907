import { mkdirSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { SQL } from 'drizzle-orm';
import * as schema from '../db/schema.js';
import { createDrizzleStore, type AnySQLiteDatabase } from '../db/drizzle-store.js';
import type { Store } from '../db/store.js';
import { speedUpSqlCompiler } from './compile-sql.js';
import { createGroupCommit } from './group-commit.js';

export class DatabaseOpenError extends Error {
  override readonly name = 'DatabaseOpenError';
}

export interface OpenSqliteOptions {
  path: string;
  migrationsFolder: string;
  /** Create the file's directory when missing (the default path on a fresh clone). */
  createDirectory: boolean;
  /** SQLITE_SYNCHRONOUS; FULL unless the operator traded power-cut durability for speed. */
  synchronous?: 'FULL' | 'NORMAL';
}

/**
 * Opens the SQLite file in WAL mode, applies pending migrations and returns the Store. Problems a
 * operator must fix (missing directory, read-only file) become one clear DatabaseOpenError.
 * Writes handed to the store's atomic runner are group-committed; docs/performance.md says what
 * each speed-up here bought.
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
    // FULL: an acknowledged event survives a power cut, not only a process crash. Group commit
    // (below) keeps that affordable: webhooks arriving together share one fsync.
    sqlite.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
  } catch (error) {
    throw new DatabaseOpenError(`DATABASE_PATH: cannot open ${path}: ${(error as Error).message}`);
  }
  reusePreparedStatements(sqlite);
  const db = drizzle(sqlite, { schema });
  // drizzle's dialect is internal API: the one object that compiles every query of this database.
  const { dialect } = db as unknown as { dialect: SQLiteSyncDialect };
  speedUpSqlCompiler(dialect);
  try {
    migrate(db, { migrationsFolder: options.migrationsFolder });
  } catch (error) {
    sqlite.close();
    const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
    throw new DatabaseOpenError(`DATABASE_PATH: cannot migrate ${path}: ${cause}`);
  }
  const atomic = createGroupCommit(transactionRunner(sqlite, dialect));
  return { store: createDrizzleStore(db as unknown as AnySQLiteDatabase, atomic), close: () => sqlite.close() };
}

/**
 * drizzle asks better-sqlite3 to prepare every query afresh, so SQLite parses and plans the same
 * few SQL texts again for each webhook. Statements are kept by SQL text and reused instead. drizzle
 * runs each prepared query at once (never holding one across an await) and some of its reads
 * switch a statement to raw arrays, so a reused statement is switched back to object rows.
 */
function reusePreparedStatements(sqlite: Database.Database, max = 500) {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (!statement) {
      if (cache.size >= max) cache.clear();
      cache.set(source, (statement = prepare(source)));
    } else if (statement.reader) {
      statement.raw(false);
    }
    return statement;
  }) as typeof sqlite.prepare;
}

/** Runs several statement lists in one better-sqlite3 transaction: all commit, or none. */
function transactionRunner(sqlite: Database.Database, dialect: SQLiteSyncDialect) {
  return sqlite.transaction((lists: SQL[][]) => {
    for (const list of lists) {
      for (const statement of list) {
        const query = dialect.sqlToQuery(statement);
        sqlite.prepare(query.sql).run(...query.params);
      }
    }
  });
}
