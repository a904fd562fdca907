import Database from 'better-sqlite3';
import { eq, sql, type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { alias, SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { expect, test } from 'vitest';
import { createDrizzleStore, toQuery, type AnySQLiteDatabase, type Statement } from '../db/drizzle-store.js';
import * as schema from '../db/schema.js';
import { inbox, outbox } from '../db/schema.js';
import type { RecordEventInput } from '../db/store.js';
import { compileQuery } from './compile-sql.js';
import { migrationsFolder } from './paths.js';

/** drizzle's own result; `typings` only matter to Postgres drivers and are left out. */
function drizzleCompile(statement: SQL) {
  const { sql: text, params } = new SQLiteSyncDialect().sqlToQuery(statement);
  return { sql: text, params };
}

const sale = (eventKey: string, invoiceId: string, customerKey: string): RecordEventInput => ({
  inbox: {
    source: 'stripe',
    eventKey,
    eventType: 'checkout.session.completed',
    account: null,
    receivedAt: 1,
    payload: `{"k":"it's"}`,
    state: 'mapped',
    reason: null,
  },
  outbox: [
    {
      kind: 'sale',
      idempotencyKey: `sale:${invoiceId}`,
      customerKey,
      command: '{}',
      rank: 1,
      dueAt: 1,
      sale: { invoiceId, amount: 5, currency: 'usd', refs: { paymentIntent: `pi_${invoiceId}` } },
    },
  ],
  links: [{ source: 'stripe', providerCustomerId: `cus_${customerKey}`, externalId: customerKey }],
});

/** Every query the store compiles while it records, claims, marks, requeues and reports. */
async function storeQueries(): Promise<SQL[]> {
  const sqlite = new Database(':memory:');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: migrationsFolder() });
  const { dialect } = db as unknown as { dialect: SQLiteSyncDialect };
  const captured: SQL[] = [];
  const compile = dialect.sqlToQuery.bind(dialect);
  dialect.sqlToQuery = (statement: SQL) => {
    captured.push(statement);
    return compile(statement);
  };
  const atomic = async (statements: Statement[]) =>
    sqlite.transaction(() =>
      statements.map((s) => {
        const query = toQuery(s, dialect);
        const { changes, lastInsertRowid } = sqlite.prepare(query.sql).run(...query.params);
        return { changes, lastInsertRowid: Number(lastInsertRowid) };
      }),
    )();
  const store = createDrizzleStore(db as unknown as AnySQLiteDatabase, atomic);
  await store.recordEvent(sale('evt_1', 'in_1', 'c1'));
  await store.recordEvent(sale('evt_1', 'in_1', 'c1'));
  await store.recordEvent(sale('evt_2', 'in_2', 'c2'));
  await store.findCustomerLink('stripe', 'cus_c1');
  const [first] = await store.claimDue(10, 1, 1000);
  const [second] = await store.claimDue(10, 1, 1000, ['tenant-a']);
  await store.markDelivered({ id: first!.id, attempts: first!.attempts, leaseUntil: first!.leaseUntil }, 'delivered', '{}', 11);
  await store.markRetry({ id: second!.id, attempts: second!.attempts, leaseUntil: second!.leaseUntil }, 20, 'boom');
  await store.release({ id: second!.id, attempts: second!.attempts, leaseUntil: null }, 20, 'paused');
  await store.markDead({ id: second!.id, attempts: second!.attempts, leaseUntil: null }, 'dead', 12);
  await store.requeue({ ids: [second!.id] }, 13);
  await store.findSale({ invoiceId: 'in_1', refs: { paymentIntent: 'pi_in_1' } });
  await store.stats();
  await store.getOutbox(first!.id);
  await store.getInbox(first!.inboxId);
  await store.listOutboxForInbox(first!.inboxId);
  await store.prunePayloads(100);
  return captured;
}

test("the store's queries compile to exactly the SQL and parameters drizzle produces", async () => {
  const queries = await storeQueries();
  const compiled = queries.map((statement) => ({ statement, fast: compileQuery(statement) }));
  for (const { statement, fast } of compiled) if (fast) expect(fast).toEqual(drizzleCompile(statement));
  // The fast path is the point: nearly all of these must take it.
  expect(compiled.filter((c) => c.fast).length).toBeGreaterThanOrEqual(queries.length - 2);
});

test('placeholders, inlined params, subquery aliases and booleans are left to drizzle', () => {
  const lead = alias(outbox, 'lead');
  const handledByDrizzle = [
    sql`SELECT ${sql.placeholder('p')}`,
    sql`SELECT ${'a'}`.inlineParams(),
    sql`SELECT ${true}`,
    sql`SELECT * FROM ${inbox} JOIN ${sql`(SELECT 1)`.as('x')}`,
  ];
  for (const statement of handledByDrizzle) expect(compileQuery(statement)).toBeNull();
  const handledHere = [sql`SELECT ${lead.id} FROM ${lead} WHERE ${lead.id} IN ${[1, 2]} AND ${eq(inbox.eventKey, 'e')} ${undefined} ${null}`];
  for (const statement of handledHere) expect(compileQuery(statement)).toEqual(drizzleCompile(statement));
});
