import { Column, getTableName, Name, Param, Placeholder, SQL, StringChunk, Subquery, Table, View } from 'drizzle-orm';
import type { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';

/**
 * Puts a fast path in front of drizzle's SQL compiler for one database. drizzle tests every chunk
 * of every query against a dozen entity kinds, and that was the largest single cost of recording
 * a webhook and of claiming and marking an outbox row. The chunks the store's queries are made of
 * (text, tables, columns, values, lists, nested queries) are compiled here directly; a query with
 * anything else (placeholders, inlined params, subquery aliases, views, casing) goes to drizzle's
 * own compiler, so the SQL and parameters are always exactly what drizzle would produce.
 */
export function speedUpSqlCompiler(dialect: SQLiteSyncDialect): void {
  const drizzleCompile = dialect.sqlToQuery.bind(dialect);
  dialect.sqlToQuery = (statement: SQL, invokeSource?: 'indexes') => {
    if (invokeSource) return drizzleCompile(statement, invokeSource);
    return compileQuery(statement) ?? drizzleCompile(statement);
  };
}

/** The SQL text and parameters for `statement`, or null when drizzle's own compiler must do it. */
export function compileQuery(statement: SQL): { sql: string; params: unknown[] } | null {
  const params: unknown[] = [];
  const text = compileSql(statement, params);
  return text === null ? null : { sql: text, params };
}

const PLAIN_VALUE = new Set(['string', 'number', 'bigint']);
const IS_ALIAS = Symbol.for('drizzle:IsAlias');
const SCHEMA = Symbol.for('drizzle:Schema');

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
const mark = (target: object, symbol: symbol) => (target as Record<symbol, unknown>)[symbol];
/** drizzle writes "schema"."table" for a table in a named schema; SQLite has none here. */
const inSchema = (table: Table) => mark(table, SCHEMA) !== undefined && !mark(table, IS_ALIAS);

function compileSql(statement: SQL, params: unknown[]): string | null {
  if ((statement as unknown as { shouldInlineParams: boolean }).shouldInlineParams) return null;
  let text = '';
  for (const chunk of statement.queryChunks) {
    const part = compileChunk(chunk, params);
    if (part === null) return null;
    text += part;
  }
  return text;
}

/** The branches of drizzle's buildQueryFromSourceParams, in its order, for the kinds handled here. */
function compileChunk(chunk: unknown, params: unknown[]): string | null {
  if (chunk instanceof StringChunk) return chunk.value.join('');
  if (chunk instanceof Name) return quote(chunk.value);
  if (chunk === undefined) return '';
  if (Array.isArray(chunk)) {
    const items: string[] = [];
    for (const item of chunk) {
      const part = compileChunk(item, params);
      if (part === null) return null;
      items.push(part);
    }
    return `(${items.join(', ')})`;
  }
  if (chunk instanceof SQL) return compileSql(chunk, params);
  if (chunk instanceof Table) return inSchema(chunk) ? null : quote(getTableName(chunk));
  if (chunk instanceof Column) {
    if (chunk.keyAsName || inSchema(chunk.table)) return null;
    return `${quote(getTableName(chunk.table))}.${quote(chunk.name)}`;
  }
  if (chunk instanceof Param) {
    if (chunk.value instanceof Placeholder) return null;
    const value = chunk.value === null ? null : chunk.encoder.mapToDriverValue(chunk.value);
    if (value instanceof SQL) return compileSql(value, params);
    params.push(value);
    return '?';
  }
  if (chunk === null || PLAIN_VALUE.has(typeof chunk)) {
    params.push(chunk);
    return '?';
  }
  // Query builders used as subqueries (`inArray(id, select…)`, `NOT EXISTS select…`).
  if (typeof chunk === 'object' && isQueryBuilder(chunk)) {
    const inner = compileSql(chunk.getSQL(), params);
    if (inner === null) return null;
    return chunk.shouldOmitSQLParens?.() ? inner : `(${inner})`;
  }
  return null;
}

interface QueryBuilder {
  getSQL(): SQL;
  shouldOmitSQLParens?(): boolean;
}

function isQueryBuilder(chunk: object): chunk is QueryBuilder {
  if (chunk instanceof View || chunk instanceof Placeholder || chunk instanceof Subquery || chunk instanceof SQL.Aliased) return false;
  return typeof (chunk as Partial<QueryBuilder>).getSQL === 'function';
}
