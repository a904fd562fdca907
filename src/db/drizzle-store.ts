import { and, asc, eq, is, isNull, or, SQL, sql, type Query } from 'drizzle-orm';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type * as schema from './schema.js';
import { customerLinks, inbox, outbox, saleLedger, saleRefs } from './schema.js';
import type { Claim, DeliveredState, OutboxStats, Store } from './store.js';
import { createRetention, planCompliance } from './scrub.js';
import { createOutboxAdmin, outboxConditions } from './outbox-admin.js';
import { createRefundLedger } from './refund-ledger.js';
import { claimRows } from './claim.js';
import { createIngestStore } from './ingest-store.js';

/** Any drizzle SQLite database: better-sqlite3 (sync) on Node, D1 (async) on Workers. */
export type AnySQLiteDatabase = BaseSQLiteDatabase<'sync' | 'async', unknown, typeof schema>;

/** A statement for the atomic runner: drizzle SQL, or SQL text compiled ahead with its parameters. */
export type Statement = SQL | Query;

/** The SQL text and parameters of a Statement, compiling drizzle SQL with the driver's dialect. */
export function toQuery(statement: Statement, dialect: { sqlToQuery(sql: SQL): Query }): Query {
  return is(statement, SQL) ? dialect.sqlToQuery(statement) : statement;
}

/** What one statement did: rows it changed, and the rowid it inserted (if it inserted). */
export interface StatementResult {
  changes: number;
  lastInsertRowid: number;
}

/**
 * Runs statements all-or-nothing and says what each did: a transaction on better-sqlite3, a batch
 * on D1 (which has no interactive transactions). This is the only thing that differs between the
 * two drivers.
 */
export type AtomicRunner = (statements: Statement[]) => Promise<StatementResult[]>;

/** Column values for an update; counters may be SQL expressions. */
type OutboxUpdate = { [K in keyof typeof outbox.$inferInsert]?: (typeof outbox.$inferInsert)[K] | SQL };

/** Builds the Store over a drizzle SQLite database and its atomic runner. */
export function createDrizzleStore(db: AnySQLiteDatabase, atomic: AtomicRunner): Store {
  // Asked for every Stripe webhook with a customer: built and prepared once.
  const findLink = db
    .select({ externalId: customerLinks.externalId })
    .from(customerLinks)
    .where(
      and(
        eq(customerLinks.tenant, sql.placeholder('tenant')),
        eq(customerLinks.source, sql.placeholder('source')),
        eq(customerLinks.providerCustomerId, sql.placeholder('providerCustomerId')),
      ),
    )
    .prepare();
  // Through the atomic runner, so marks finishing together share a commit (and its fsync).
  const markIfClaimed = async (claim: Claim, values: OutboxUpdate): Promise<boolean> => {
    const update = db
      .update(outbox)
      .set(values)
      .where(
        and(
          eq(outbox.id, claim.id),
          eq(outbox.attempts, claim.attempts),
          claim.leaseUntil === null ? isNull(outbox.leaseUntil) : eq(outbox.leaseUntil, claim.leaseUntil),
          eq(outbox.state, 'pending'),
        ),
      );
    const [result] = await atomic([update.getSQL()]);
    return result?.changes === 1;
  };

  return {
    ...createOutboxAdmin(db, atomic),
    ...createIngestStore(db, atomic),

    async findCustomerLink(source, providerCustomerId, tenant) {
      const rows = await findLink.all({ source, providerCustomerId, tenant: tenant ?? '' });
      return rows[0]?.externalId;
    },

    claimDue(now, limit, leaseMs, skipTenants = []) {
      return claimRows(db, now, limit, leaseMs, skipTenants);
    },

    markDelivered(claim: Claim, state: DeliveredState, response: string, at: number) {
      return markIfClaimed(claim, { state, response, deliveredAt: at, leaseUntil: null, lastError: null });
    },

    markRetry(claim, nextAttemptAt, error) {
      return markIfClaimed(claim, { nextAttemptAt, lastError: error, leaseUntil: null });
    },

    markDead(claim, error, at) {
      return markIfClaimed(claim, { state: 'dead', lastError: error, leaseUntil: null, deliveredAt: at });
    },

    release(claim, nextAttemptAt, error) {
      return markIfClaimed(claim, {
        nextAttemptAt,
        lastError: error,
        leaseUntil: null,
        attempts: sql`${outbox.attempts} - 1`,
      });
    },

    async requeue(filter, now) {
      const rows = await db
        .update(outbox)
        .set({ state: 'pending', attempts: 0, nextAttemptAt: now, leaseUntil: null, deliveredAt: null })
        .where(outboxConditions(filter))
        .returning({ id: outbox.id });
      return rows.length;
    },

    async findSale({ invoiceId, refs = {}, tenant }) {
      const ledgerTenant = tenant ?? '';
      if (invoiceId) {
        const [sale] = await db
          .select()
          .from(saleLedger)
          .where(and(eq(saleLedger.tenant, ledgerTenant), eq(saleLedger.invoiceId, invoiceId)))
          .limit(1);
        if (sale) return sale;
      }
      const matches = Object.entries(refs).flatMap(([kind, value]) => (value ? [and(eq(saleRefs.kind, kind), eq(saleRefs.value, value))!] : []));
      if (matches.length === 0) return undefined;
      const [found] = await db
        .select({ invoiceId: saleRefs.invoiceId })
        .from(saleRefs)
        .where(and(eq(saleRefs.tenant, ledgerTenant), or(...matches)))
        .limit(1);
      if (!found) return undefined;
      const [sale] = await db
        .select()
        .from(saleLedger)
        .where(and(eq(saleLedger.tenant, ledgerTenant), eq(saleLedger.invoiceId, found.invoiceId)))
        .limit(1);
      return sale;
    },

    ...createRefundLedger(db, atomic),

    async applyCompliance(action, inboxId, at) {
      const { statements, scrubbed } = await planCompliance(db, action, inboxId, at);
      await atomic(statements);
      return scrubbed;
    },

    // After the outbox admin: retention's batched scrub replaces its scrubFinishedCommands.
    ...createRetention(atomic),

    async stats(): Promise<OutboxStats> {
      const rows = await db
        .select({ state: outbox.state, count: sql<number>`count(*)`, oldest: sql<number | null>`min(${outbox.createdAt})` })
        .from(outbox)
        .groupBy(outbox.state);
      const counts = { pending: 0, delivered: 0, not_attributed: 0, skipped: 0, dry_run: 0, dead: 0 };
      let oldestPendingCreatedAt: number | null = null;
      for (const row of rows) {
        counts[row.state] = Number(row.count);
        if (row.state === 'pending') oldestPendingCreatedAt = row.oldest;
      }
      const inboxCount = await db.$count(inbox);
      return { counts, oldestPendingCreatedAt, inboxCount };
    },

    async getOutbox(id) {
      return (await db.select().from(outbox).where(eq(outbox.id, id)))[0];
    },

    async getInbox(id) {
      return (await db.select().from(inbox).where(eq(inbox.id, id)))[0];
    },

    async listOutboxForInbox(inboxId) {
      return db.select().from(outbox).where(eq(outbox.inboxId, inboxId)).orderBy(asc(outbox.id));
    },

    async ping() {
      await db.get(sql`SELECT 1`);
    },
  };
}
