import Database from 'better-sqlite3';
import { eq, sql, type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { alias, SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { expect, test } from 'vitest';
import { createDrizzleStore, type AnySQLiteDatabase } from '../db/drizzle-store.js';
import * as schema from '../db/schema.js';
import { inbox, outbox } from '../db/schema.js';
import { createSqlCompiler } from './compile-sql.js';

const compile = createSqlCompiler();
const drizzleCompile = (statement: SQL) => {
  // `typings` only matter to Postgres drivers; better-sqlite3 takes the text and the parameters.
  const { sql: text, params } = new SQLiteSyncDialect().sqlToQuery(statement);
  return { sql: text, params };
};

/** The statements the store hands its atomic runner when it records a sale with a customer link. */
async function recordEventStatements(): Promise<SQL[]> {
  const captured: SQL[] = [];
  const db = drizzle(new Database(':memory:'), { schema }) as unknown as AnySQLiteDatabase;
  const store = createDrizzleStore(db, async (statements) => {
    captured.push(...statements);
    throw new Error('captured');
  });
  await store
    .recordEvent({
      inbox: { source: 'stripe', eventKey: 'evt_"1', eventType: 't', account: null, receivedAt: 1, payload: "{'x'}", state: 'mapped', reason: null },
      outbox: [{ kind: 'sale', idempotencyKey: 'k', customerKey: 'c', command: '{}', rank: 0, dueAt: 2, sale: { invoiceId: 'in_1', amount: 5, currency: 'usd', refs: { paymentIntent: 'pi_1' } } }],
      links: [{ source: 'stripe', providerCustomerId: 'cus_1', externalId: 'user_1' }],
    })
    .catch(() => undefined);
  return captured;
}

test("the store's writes compile to exactly the SQL and parameters drizzle produces", async () => {
  const statements = await recordEventStatements();
  expect(statements.length).toBeGreaterThan(3);
  for (const statement of statements) {
    const { sql: text, params } = compile(statement);
    expect({ sql: text, params }).toEqual(drizzleCompile(statement));
  }
});

test('statements with aliases, typed params, placeholders or lists are compiled by drizzle itself', () => {
  const lead = alias(outbox, 'lead');
  const statements = [
    sql`SELECT ${inbox.id} FROM ${inbox} WHERE ${eq(inbox.eventKey, 'e')}`,
    sql`SELECT ${lead.id} FROM ${lead}`,
    sql`SELECT 1 FROM ${lead} WHERE ${lead.id} IN ${[1, 2]}`,
    sql`SELECT ${sql.placeholder('p')}, ${true}, ${undefined}, ${null}`,
    sql`SELECT ${'a'}`.inlineParams(),
  ];
  for (const statement of statements) {
    const { sql: text, params } = compile(statement);
    expect({ sql: text, params }).toEqual(drizzleCompile(statement));
  }
});
