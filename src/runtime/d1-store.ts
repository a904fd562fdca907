import type { D1Database } from '@cloudflare/workers-types/latest/index.js';
import { drizzle } from 'drizzle-orm/d1';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import * as schema from '../db/schema.js';
import { createDrizzleStore, toQuery, type AnySQLiteDatabase, type Statement, type StatementResult } from '../db/drizzle-store.js';
import type { Store } from '../db/store.js';

/**
 * The Store on Cloudflare D1. D1 has no interactive transactions, so the statements that must land
 * together go into one `batch`, which D1 runs as a single implicit transaction. The batch is built
 * on the D1 binding itself: drizzle's `db.batch` cannot take raw `sql` with parameters
 * (drizzle-orm#2277, "reading 'bind'"), so drizzle only renders each statement.
 */
/** The drizzle database over a D1 binding (read queries of the console and the CLI). */
export const d1Database = (d1: D1Database): AnySQLiteDatabase => drizzle(d1, { schema }) as unknown as AnySQLiteDatabase;

export function createD1Store(d1: D1Database): Store {
  const db = drizzle(d1, { schema });
  const dialect = new SQLiteAsyncDialect();
  const atomic = async (statements: Statement[]): Promise<StatementResult[]> => {
    if (statements.length === 0) return [];
    const results = await d1.batch(
      statements.map((statement) => {
        const query = toQuery(statement, dialect);
        return d1.prepare(query.sql).bind(...query.params);
      }),
    );
    return results.map(({ meta }) => ({ changes: meta.changes, lastInsertRowid: meta.last_row_id }));
  };
  return createDrizzleStore(db as unknown as AnySQLiteDatabase, atomic);
}
