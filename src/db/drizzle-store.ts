import { and, asc, eq, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { alias, type BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import * as schema from './schema.js';
import { customerLinks, inbox, outbox, saleLedger } from './schema.js';
import type { Claim, DeliveredState, OutboxStats, RecordEventInput, RecordEventResult, Store } from './store.js';
import { planCompliance } from './scrub.js';
import { createOutboxAdmin, outboxConditions } from './outbox-admin.js';
import { createRefundLedger } from './refund-ledger.js';

/** Any drizzle SQLite database: better-sqlite3 (sync) on Node, D1 (async) on Workers. */
export type AnySQLiteDatabase = BaseSQLiteDatabase<'sync' | 'async', unknown, typeof schema>;

/**
 * Runs statements all-or-nothing: a transaction on better-sqlite3, a batch on D1 (which has no
 * interactive transactions). This is the only thing that differs between the two drivers.
 */
export type AtomicRunner = (statements: SQL[]) => Promise<void>;

/** Column values for an update; counters may be SQL expressions. */
type OutboxUpdate = { [K in keyof typeof outbox.$inferInsert]?: (typeof outbox.$inferInsert)[K] | SQL };

/** Builds the Store over a drizzle SQLite database and its atomic runner. */
export function createDrizzleStore(db: AnySQLiteDatabase, atomic: AtomicRunner): Store {
  const lead = alias(outbox, 'lead');
  const markIfClaimed = async (claim: Claim, values: OutboxUpdate): Promise<boolean> => {
    const rows = await db
      .update(outbox)
      .set(values)
      .where(
        and(
          eq(outbox.id, claim.id),
          eq(outbox.attempts, claim.attempts),
          claim.leaseUntil === null ? isNull(outbox.leaseUntil) : eq(outbox.leaseUntil, claim.leaseUntil),
          eq(outbox.state, 'pending'),
        ),
      )
      .returning({ id: outbox.id });
    return rows.length === 1;
  };

  return {
    ...createOutboxAdmin(db, atomic),

    async recordEvent(input: RecordEventInput): Promise<RecordEventResult> {
      const receipt = crypto.randomUUID();
      const { source, eventKey } = input.inbox;
      const ownInbox = sql`(SELECT ${inbox.id} FROM ${inbox} WHERE ${inbox.source} = ${source} AND ${inbox.eventKey} = ${eventKey} AND ${inbox.receipt} = ${receipt})`;
      const statements: SQL[] = [
        sql`INSERT INTO ${inbox} (source, event_key, event_type, account, received_at, payload, state, reason, receipt)
            VALUES (${source}, ${eventKey}, ${input.inbox.eventType}, ${input.inbox.account}, ${input.inbox.receivedAt},
                    ${input.inbox.payload}, ${input.inbox.state}, ${input.inbox.reason}, ${receipt})
            ON CONFLICT (source, event_key) DO NOTHING`,
      ];
      for (const row of input.outbox) {
        // A pending, unclaimed row with a lower rank is replaced (a provisional sale upgraded by
        // the checkout that carries the merchant's attribution); anything else keeps the first.
        statements.push(sql`INSERT INTO ${outbox} (inbox_id, source, kind, idempotency_key, customer_key, tenant, command, rank, state, attempts, created_at, next_attempt_at)
            SELECT id, ${source}, ${row.kind}, ${row.idempotencyKey}, ${row.customerKey}, ${row.tenant ?? null}, ${row.command}, ${row.rank}, 'pending', 0, ${input.inbox.receivedAt}, ${row.dueAt}
            FROM ${inbox} WHERE id = ${ownInbox}
            ON CONFLICT (idempotency_key) DO UPDATE SET
              command = excluded.command, customer_key = excluded.customer_key, rank = excluded.rank,
              next_attempt_at = excluded.next_attempt_at
            WHERE outbox.state = 'pending' AND outbox.rank < excluded.rank
              AND (outbox.lease_until IS NULL OR outbox.lease_until <= ${input.inbox.receivedAt})`);
        if (row.sale) {
          const { invoiceId, amount, currency, refs } = row.sale;
          statements.push(sql`INSERT INTO ${saleLedger} (invoice_id, source, outbox_id, amount, currency, payment_intent, stripe_invoice, checkout_session, charge, shopify_order_id, refunded_sent, created_at)
              SELECT ${invoiceId}, ${source}, o.id, ${amount}, ${currency}, ${refs.paymentIntent ?? null}, ${refs.stripeInvoice ?? null},
                     ${refs.checkoutSession ?? null}, ${refs.charge ?? null}, ${refs.shopifyOrderId ?? null}, 0, ${input.inbox.receivedAt}
              FROM ${outbox} o WHERE o.idempotency_key = ${row.idempotencyKey} AND o.inbox_id = ${ownInbox}
              ON CONFLICT (invoice_id) DO NOTHING`);
          // The same sale seen through a second event (checkout, then its invoice) adds references.
          statements.push(sql`UPDATE ${saleLedger} SET
                payment_intent = coalesce(payment_intent, ${refs.paymentIntent ?? null}),
                stripe_invoice = coalesce(stripe_invoice, ${refs.stripeInvoice ?? null}),
                checkout_session = coalesce(checkout_session, ${refs.checkoutSession ?? null}),
                charge = coalesce(charge, ${refs.charge ?? null})
              WHERE invoice_id = ${invoiceId} AND EXISTS ${ownInbox}`);
        }
      }
      for (const link of input.links) {
        statements.push(sql`INSERT INTO ${customerLinks} (source, provider_customer_id, external_id, updated_at)
            SELECT ${link.source}, ${link.providerCustomerId}, ${link.externalId}, ${input.inbox.receivedAt}
            WHERE EXISTS ${ownInbox}
            ON CONFLICT (source, provider_customer_id) DO UPDATE SET external_id = excluded.external_id, updated_at = excluded.updated_at`);
      }
      await atomic(statements);
      const [row] = await db
        .select({ id: inbox.id, receipt: inbox.receipt })
        .from(inbox)
        .where(and(eq(inbox.source, source), eq(inbox.eventKey, eventKey)));
      if (!row) throw new Error(`inbox row for ${source} ${eventKey} missing after insert`);
      const inboxId = row.id;
      if (row.receipt !== receipt) return { duplicate: true, inboxId };
      const queued = await db.$count(outbox, eq(outbox.inboxId, inboxId));
      return { duplicate: false, inboxId, queued };
    },

    async findCustomerLink(source, providerCustomerId) {
      const rows = await db
        .select({ externalId: customerLinks.externalId })
        .from(customerLinks)
        .where(and(eq(customerLinks.source, source), eq(customerLinks.providerCustomerId, providerCustomerId)));
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

    async findSale(refs) {
      const matches: SQL[] = [];
      if (refs.invoiceId) matches.push(eq(saleLedger.invoiceId, refs.invoiceId));
      if (refs.paymentIntent) matches.push(eq(saleLedger.paymentIntent, refs.paymentIntent));
      if (refs.stripeInvoice) matches.push(eq(saleLedger.stripeInvoice, refs.stripeInvoice));
      if (refs.charge) matches.push(eq(saleLedger.charge, refs.charge));
      if (refs.checkoutSession) matches.push(eq(saleLedger.checkoutSession, refs.checkoutSession));
      if (refs.shopifyOrderId) matches.push(eq(saleLedger.shopifyOrderId, refs.shopifyOrderId));
      if (matches.length === 0) return undefined;
      const rows = await db.select().from(saleLedger).where(or(...matches)).limit(1);
      return rows[0];
    },

    ...createRefundLedger(db, atomic),

    async applyCompliance(action, inboxId, at) {
      const { statements, scrubbed } = await planCompliance(db, action, inboxId, at);
      await atomic(statements);
      return scrubbed;
    },

    async prunePayloads(before) {
      const rows = await db
        .update(inbox)
        .set({ payload: null })
        .where(and(lte(inbox.receivedAt, before), sql`${inbox.payload} IS NOT NULL`))
        .returning({ id: inbox.id });
      return rows.length;
    },

    async stats(): Promise<OutboxStats> {
      const rows = await db
        .select({ state: outbox.state, count: sql<number>`count(*)`, oldest: sql<number | null>`min(${outbox.createdAt})` })
        .from(outbox)
        .groupBy(outbox.state);
      const counts = { pending: 0, delivered: 0, not_attributed: 0, skipped: 0, dead: 0 };
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
