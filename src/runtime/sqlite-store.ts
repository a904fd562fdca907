import { mkdirSync, existsSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from '../db/schema.js';
import { createDrizzleStore, toQuery, type AnySQLiteDatabase, type Statement, type StatementResult } from '../db/drizzle-store.js';
import type { Store } from '../db/store.js';
import { speedUpSqlCompiler } from './compile-sql.js';
import { openFileSync } from './file-sync.js';
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
 * Writes handed to the store's atomic runner (events, delivery results, refund markers) are
 * group-committed and, under FULL, fsynced before they resolve; leases and retention are not
 * waited for (losing one to a power cut means a row is sent again, which Dub absorbs).
 * docs/performance.md says what each speed-up here bought.
 */
export function openSqliteStore(options: OpenSqliteOptions): { store: Store; db: AnySQLiteDatabase; close: () => void } {
  const path = resolve(options.path);
  const directory = dirname(path);
  if (!existsSync(directory)) {
    if (!options.createDirectory) {
      throw new DatabaseOpenError(`DATABASE_PATH: directory ${directory} does not exist; create it or point DATABASE_PATH elsewhere`);
    }
    mkdirSync(directory, { recursive: true });
  }
  const synchronous = options.synchronous ?? 'FULL';
  let sqlite: Database.Database;
  let offLoopSync: boolean;
  try {
    sqlite = new Database(path);
    const walMode = sqlite.pragma('journal_mode = WAL', { simple: true }) === 'wal';
    // FULL means an acknowledged event survives a power cut, not only a process crash: SQLite's
    // own FULL fsyncs the WAL inside every commit, on the event loop. With WAL, the same
    // guarantee comes from NORMAL plus that fsync done on the thread pool (`durable` below),
    // which group commits share and during which the bridge goes on serving.
    offLoopSync = walMode && synchronous === 'FULL';
    sqlite.pragma(`synchronous = ${offLoopSync ? 'NORMAL' : synchronous}`);
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
  const wal = offLoopSync ? openWal(sqlite, path) : undefined;
  const atomic = createGroupCommit<Statement[], StatementResult[]>(transactionRunner(sqlite, dialect), {
    ...(wal ? { durable: wal.sync } : {}),
  });
  const close = () => {
    sqlite.close();
    wal?.close();
  };
  return { store: createDrizzleStore(db as unknown as AnySQLiteDatabase, atomic), db: db as unknown as AnySQLiteDatabase, close };
}

/**
 * Opens the write-ahead log that commits are fsynced through, at start. SQLite keeps it beside the
 * real file, so a DATABASE_PATH that is a symlink (or in a symlinked directory) is resolved first;
 * a log that cannot be opened stops the start with one line instead of failing every commit.
 */
function openWal(sqlite: Database.Database, path: string) {
  let walPath = `${path}-wal`;
  try {
    walPath = `${realpathSync(path)}-wal`;
    return openFileSync(walPath);
  } catch (error) {
    sqlite.close();
    throw new DatabaseOpenError(`DATABASE_PATH: cannot open the write-ahead log ${walPath}: ${(error as Error).message}`);
  }
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
  return sqlite.transaction((lists: Statement[][]): StatementResult[][] =>
    lists.map((list) =>
      list.map((statement) => {
        const query = toQuery(statement, dialect);
        const { changes, lastInsertRowid } = sqlite.prepare(query.sql).run(...query.params);
        return { changes, lastInsertRowid: Number(lastInsertRowid) };
      }),
    ),
  );
}
