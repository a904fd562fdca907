import { SQL, StringChunk, Table, getTableName } from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';

export interface CompiledQuery {
  sql: string;
  params: unknown[];
}

/**
 * Compiles the store's writes for better-sqlite3. drizzle's general compiler checks every chunk
 * against a dozen entity kinds and was the largest single cost of recording a webhook; the
 * store's writes are plain `sql` templates of text, tables and values, so that shape is compiled
 * directly. Anything else (columns, typed params, placeholders, aliases, lists) goes to drizzle's
 * own compiler, so the SQL and parameters are always what drizzle would produce.
 */
export function createSqlCompiler() {
  const dialect = new SQLiteSyncDialect();
  return (statement: SQL): CompiledQuery => {
    const params: unknown[] = [];
    const text = compilePlain(statement, params);
    return text === null ? dialect.sqlToQuery(statement) : { sql: text, params };
  };
}

const PLAIN_VALUE = new Set(['string', 'number', 'bigint']);

/** SQL text for a template of text, tables, values and nested templates; null for anything else. */
function compilePlain(statement: SQL, params: unknown[]): string | null {
  if ((statement as unknown as { shouldInlineParams: boolean }).shouldInlineParams) return null;
  let text = '';
  for (const chunk of statement.queryChunks) {
    if (chunk instanceof StringChunk) {
      text += chunk.value.join('');
    } else if (chunk === null || PLAIN_VALUE.has(typeof chunk)) {
      text += '?';
      params.push(chunk);
    } else if (chunk instanceof SQL) {
      const inner = compilePlain(chunk, params);
      if (inner === null) return null;
      text += inner;
    } else if (chunk instanceof Table && !isAliasOrSchema(chunk)) {
      text += `"${getTableName(chunk).replace(/"/g, '""')}"`;
    } else if (chunk !== undefined) {
      return null;
    }
  }
  return text;
}

// drizzle's own (global) symbols for an aliased table and a table in a named schema.
const IS_ALIAS = Symbol.for('drizzle:IsAlias');
const SCHEMA = Symbol.for('drizzle:Schema');

function isAliasOrSchema(table: Table): boolean {
  const marks = table as unknown as Record<symbol, unknown>;
  return Boolean(marks[IS_ALIAS]) || marks[SCHEMA] !== undefined;
}
