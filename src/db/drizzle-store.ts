import { and, asc, eq, inArray, is, isNull, lte, or, SQL, sql, type Query } from 'drizzle-orm';
import { alias, type BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type * as schema from './schema.js';
import { customerLinks, inbox, outbox, saleLedger, saleRefs } from './schema.js';
import type { Claim, DeliveredState, OutboxStats, RecordEventInput, RecordEventResult, Store } from './store.js';
import { createRetention, planCompliance } from './scrub.js';
import { createOutboxAdmin, outboxConditions } from './outbox-admin.js';
import { createRefundLedger } from './refund-ledger.js';
import { recordStatements } from './record-statements.js';

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
  const lead = alias(outbox, 'lead');
  // Asked for every Stripe webhook with a customer: built and prepared once.
  const findLink = db
    .select({ externalId: customerLinks.externalId })
    .from(customerLinks)
    .where(and(eq(customerLinks.source, sql.placeholder('source')), eq(customerLinks.providerCustomerId, sql.placeholder('providerCustomerId'))))
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

    async recordEvent(input: RecordEventInput): Promise<RecordEventResult> {
      const { source, eventKey, receivedAt } = input.inbox;
      // The receipt tells this delivery's inbox row from one a concurrent redelivery inserted.
      const own = { source, eventKey, receipt: crypto.randomUUID(), receivedAt };
      // Object.assign, not spreads: merging objects with spreads is a slow path in V8.
      const statements: Statement[] = [recordStatements.inbox(Object.assign({ tenant: null }, input.inbox, own))];
      const outboxStatements: number[] = [];
      for (const row of input.outbox) {
        outboxStatements.push(statements.length);
        statements.push(recordStatements.outbox(Object.assign({}, own, row, { tenant: row.tenant ?? null })));
        if (row.sale) {
          const { invoiceId, amount, currency, refs } = row.sale;
          const sale = Object.assign({}, own, {
            invoiceId,
            amount,
            currency,
            idempotencyKey: row.idempotencyKey,
            refs: JSON.stringify(refs),
          });
          statements.push(recordStatements.sale(sale), recordStatements.saleRefs(sale));
        }
      }
      for (const link of input.links) statements.push(recordStatements.link(Object.assign({}, own, link)));
      const [inserted, ...rest] = await atomic(statements);
      if (inserted?.changes === 1) {
        // Outbox statements changed a row only when they queued a command (new, or an upgrade).
        const queued = outboxStatements.filter((index) => rest[index - 1]!.changes > 0).length;
        return { duplicate: false, inboxId: inserted.lastInsertRowid, queued };
      }
      const [row] = await db.select({ id: inbox.id }).from(inbox).where(and(eq(inbox.source, source), eq(inbox.eventKey, eventKey)));
      if (!row) throw new Error(`inbox row for ${source} ${eventKey} missing after insert`);
      return { duplicate: true, inboxId: row.id };
    },

    async findCustomerLink(source, providerCustomerId) {
      const rows = await findLink.all({ source, providerCustomerId });
      return rows[0]?.externalId;
    },

    async claimDue(now, limit, leaseMs, skipTenants = []) {
      // A customer's pending lead goes before anything else of that customer: Dub attributes a
      // sale through the lead, so a sale sent first would count as unattributed.
      const leadPending = db
        .select({ one: sql`1` })
        .from(lead)
        .where(
          and(
            eq(lead.customerKey, outbox.customerKey),
            sql`${lead.tenant} IS ${outbox.tenant}`,
            eq(lead.kind, 'lead'),
            eq(lead.state, 'pending'),
            sql`${lead.id} <> ${outbox.id}`,
          ),
        );
      const due = db
        .select({ id: outbox.id })
        .from(outbox)
        .where(
          and(
            eq(outbox.state, 'pending'),
            lte(outbox.nextAttemptAt, now),
            or(isNull(outbox.leaseUntil), lte(outbox.leaseUntil, now)),
            or(eq(outbox.kind, 'lead'), isNull(outbox.customerKey), sql`NOT EXISTS ${leadPending}`),
            skipTenants.length
              ? sql`coalesce(${outbox.tenant}, '') NOT IN (${sql.join(skipTenants.map((t) => sql`${t ?? ''}`), sql`, `)})`
              : undefined,
          ),
        )
        .orderBy(asc(outbox.nextAttemptAt), asc(outbox.id))
        .limit(limit);
      return db
        .update(outbox)
        .set({ leaseUntil: now + leaseMs, attempts: sql`${outbox.attempts} + 1` })
        .where(inArray(outbox.id, due))
        .returning();
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

    async findSale({ invoiceId, refs = {} }) {
      if (invoiceId) {
        const [sale] = await db.select().from(saleLedger).where(eq(saleLedger.invoiceId, invoiceId)).limit(1);
        if (sale) return sale;
      }
      const matches = Object.entries(refs).flatMap(([kind, value]) => (value ? [and(eq(saleRefs.kind, kind), eq(saleRefs.value, value))!] : []));
      if (matches.length === 0) return undefined;
      const [found] = await db
        .select({ invoiceId: saleRefs.invoiceId })
        .from(saleRefs)
        .where(or(...matches))
        .limit(1);
      if (!found) return undefined;
      const [sale] = await db.select().from(saleLedger).where(eq(saleLedger.invoiceId, found.invoiceId)).limit(1);
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
