import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const inboxStates = ['received', 'mapped', 'ignored', 'unmapped', 'compliance', 'redacted'] as const;

/**
 * One row per provider event, unique per (source, event_key): the database, not memory, is what
 * makes a redelivered webhook a duplicate. `receipt` is a per-request nonce that lets the D1
 * driver attach outbox rows only to an inbox row its own batch created.
 */
export const inbox = sqliteTable(
  'inbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The provider (`stripe`, `paddle`, …): a name from the provider registry. */
    source: text('source').notNull(),
    eventKey: text('event_key').notNull(),
    eventType: text('event_type').notNull(),
    account: text('account'),
    receivedAt: integer('received_at').notNull(),
    payload: text('payload'),
    /**
     * `received`: verified and stored, not mapped yet (record-first: mapping happens after the
     * ack); `unmapped`: the mapper could not parse or map it (`reason` says why; replay --remap).
     */
    state: text('state', { enum: inboxStates }).notNull(),
    reason: text('reason'),
    receipt: text('receipt').notNull(),
    /** TENANTS_FILE id the event was routed to (null = the env settings); replay keeps it. */
    tenant: text('tenant'),
    /**
     * A second dedupe key for providers whose event id is not signed (Shopify's headers are not):
     * `<shop>:<topic>:<sha256 of the body>`, so a captured body cannot be recorded again under a
     * fresh event id.
     */
    contentKey: text('content_key'),
  },
  (t) => [
    uniqueIndex('inbox_source_event_key').on(t.source, t.eventKey),
    index('inbox_received_at').on(t.receivedAt),
    index('inbox_account').on(t.source, t.account),
    // Retention's batches: only rows that still hold a payload are in it (pruning is the marker).
    index('inbox_unpruned').on(t.receivedAt).where(sql`${t.payload} IS NOT NULL`),
    uniqueIndex('inbox_source_content_key').on(t.source, t.contentKey).where(sql`${t.contentKey} IS NOT NULL`),
    // The mapper's queue (record-first ingest): only events still waiting are in it.
    index('inbox_received').on(t.id).where(sql`${t.state} = 'received'`),
  ],
);

/** `dry_run`: recorded with DRY_RUN=1 and no DUB_API_KEY, never sent; `replay` sends it once a key is set. */
export const outboxStates = ['pending', 'delivered', 'not_attributed', 'skipped', 'dry_run', 'dead'] as const;
export type OutboxState = (typeof outboxStates)[number];

/**
 * One row per Dub call to make. `idempotency_key` is unique so two events producing the same
 * effect (a subscription checkout and its first invoice) leave one row. A row is claimed by
 * setting `lease_until`; an expired lease means its dispatcher died and the row is due again.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    inboxId: integer('inbox_id')
      .notNull()
      .references(() => inbox.id),
    source: text('source').notNull(),
    kind: text('kind', { enum: ['lead', 'sale', 'customer', 'refund'] }).notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    customerKey: text('customer_key'),
    /** TENANTS_FILE id whose Dub key delivers this row; null = DUB_API_KEY (the env settings). */
    tenant: text('tenant'),
    command: text('command').notNull(),
    /** Higher wins: a pending provisional sale (rank 0) is replaced by an attributed one (rank 1). */
    rank: integer('rank').notNull().default(1),
    state: text('state', { enum: outboxStates }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    leaseUntil: integer('lease_until'),
    lastError: text('last_error'),
    deliveredAt: integer('delivered_at'),
    response: text('response'),
    /** When retention removed the command's personal fields (null: not yet); marks the row done for it. */
    scrubbedAt: integer('scrubbed_at'),
  },
  (t) => [
    uniqueIndex('outbox_idempotency_key').on(t.idempotencyKey),
    index('outbox_due').on(t.state, t.nextAttemptAt),
    index('outbox_inbox').on(t.inboxId),
    // Serves the lead-first check in claimDue (a pending lead of the same customer) and redaction.
    index('outbox_customer').on(t.customerKey, t.kind, t.state),
    // Retention's batches: only rows not scrubbed yet are in it, so a run never walks old work again.
    index('outbox_unscrubbed').on(t.state, t.createdAt).where(sql`${t.scrubbedAt} IS NULL`),
  ],
);

/** Provider customer id -> the customerExternalId Dub knows (lets renewals reach the right customer). */
export const customerLinks = sqliteTable(
  'customer_links',
  {
    /** TENANTS_FILE id ('' = the env settings): one tenant's events never rewrite another's links. */
    tenant: text('tenant').notNull().default(''),
    source: text('source').notNull(),
    providerCustomerId: text('provider_customer_id').notNull(),
    externalId: text('external_id').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenant, t.source, t.providerCustomerId] })],
);

/** Audit trail of Shopify compliance requests carried out (redactions, data requests). */
export const complianceLog = sqliteTable('compliance_log', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  inboxId: integer('inbox_id').notNull(),
  action: text('action').notNull(),
  shop: text('shop').notNull(),
  scrubbedInbox: integer('scrubbed_inbox').notNull().default(0),
  scrubbedOutbox: integer('scrubbed_outbox').notNull().default(0),
  at: integer('at').notNull(),
});

export type InboxRow = typeof inbox.$inferSelect;
export type OutboxRow = typeof outbox.$inferSelect;

/**
 * Every sale the bridge recorded: the invoiceId it sends to Dub and the amount. `refunded_sent`
 * (Dub units) is what refunds have already taken off, so a redelivered or reordered cumulative
 * refund never subtracts twice.
 */
export const saleLedger = sqliteTable(
  'sale_ledger',
  {
    /** TENANTS_FILE id ('' = the env settings): a tenant's refunds only ever find its own sales. */
    tenant: text('tenant').notNull().default(''),
    invoiceId: text('invoice_id').notNull(),
    source: text('source').notNull(),
    outboxId: integer('outbox_id').notNull(),
    amount: integer('amount').notNull(),
    currency: text('currency').notNull(),
    refundedSent: integer('refunded_sent').notNull().default(0),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenant, t.invoiceId] })],
);

/**
 * Provider references of a sale that a later refund may carry instead of its invoiceId (a Stripe
 * payment intent, charge or invoice; a Shopify order id): `kind` is the provider's own name for
 * the reference, so a new provider needs no migration.
 */
export const saleRefs = sqliteTable(
  'sale_refs',
  {
    tenant: text('tenant').notNull().default(''),
    source: text('source').notNull(),
    kind: text('kind').notNull(),
    value: text('value').notNull(),
    invoiceId: text('invoice_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenant, t.source, t.kind, t.value] }), index('sale_refs_invoice').on(t.tenant, t.invoiceId)],
);

export type SaleLedgerRow = typeof saleLedger.$inferSelect;

/**
 * Every refund the bridge applied to a commission, keyed like its outbox row. A row is written as
 * `sending` (with the commissions as Dub listed them, the PATCH, its runner and lease) before the
 * PATCH and becomes `sent` together with the ledger's `refunded_sent`. A `sending` row left by a
 * lost answer or a crash is settled by its runner, or by another once the lease ran out, by
 * comparing each commission with the state the PATCH produces, so the change is never sent
 * twice. At most one refund per sale is in flight: two bridges cannot compute a delta from the
 * same `refunded_sent`.
 */
export const refundApplications = sqliteTable(
  'refund_applications',
  {
    refundKey: text('refund_key').primaryKey(),
    /** The tenant of the sale (its ledger key is tenant + invoiceId). */
    tenant: text('tenant').notNull().default(''),
    invoiceId: text('invoice_id').notNull(),
    state: text('state', { enum: ['sending', 'sent'] }).notNull(),
    /** The sale's `refunded_sent` once this refund is applied (Dub units). */
    refundedTotal: integer('refunded_total').notNull(),
    /** JSON `[{id, status, amount}]`: the commissions as Dub listed them before the PATCH. */
    commissionsBefore: text('commissions_before').notNull(),
    /** JSON of the PATCH body sent to each of them (`{status}` or `{modifySaleAmount, currency}`). */
    change: text('change'),
    /** The runner (one dispatcher) applying it while `sending`; it may settle it at any time. */
    owner: text('owner'),
    /** Until then no other runner touches a `sending` row (its PATCH may still be on the way). */
    leaseUntil: integer('lease_until'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('refund_applications_invoice').on(t.tenant, t.invoiceId),
    uniqueIndex('refund_applications_one_sending').on(t.tenant, t.invoiceId).where(sql`${t.state} = 'sending'`),
  ],
);

export type RefundApplicationRow = typeof refundApplications.$inferSelect;
