import type { SaleRefs } from '../dub/commands.js';
import type { ComplianceAction, CustomerLink } from '../mappers/types.js';
import type { InboxRow, OutboxRow, OutboxState, RefundApplicationRow, SaleLedgerRow } from './schema.js';

/** A provider's name from the registry (`stripe`, `paddle`, …); the store treats it as opaque text. */
export type Source = string;

export interface NewInboxRecord {
  source: Source;
  eventKey: string;
  eventType: string;
  account: string | null;
  /** TENANTS_FILE id the event was routed to; null or absent = the env settings. */
  tenant?: string | null;
  /** A second dedupe key where the event id is not signed (see `inbox.contentKey`). */
  contentKey?: string | null;
  receivedAt: number;
  payload: string;
  state: InboxRow['state'];
  reason: string | null;
}

export interface NewOutboxRecord {
  kind: OutboxRow['kind'];
  idempotencyKey: string;
  customerKey: string | null;
  /** TENANTS_FILE id whose Dub key delivers this row; null or absent = DUB_API_KEY. */
  tenant?: string | null;
  /** The DubCommand as JSON. */
  command: string;
  /** 0 for a provisional sale that a richer one may replace while pending; else 1. */
  rank: number;
  /** When the first attempt is due. */
  dueAt: number;
  /** Set for sales: what the sale ledger keeps for later refunds. */
  sale?: { invoiceId: string; amount: number; currency: string; refs: SaleRefs };
}

export interface RecordEventInput {
  inbox: NewInboxRecord;
  outbox: NewOutboxRecord[];
  links: CustomerLink[];
}

export type RecordEventResult =
  | { duplicate: true; inboxId: number }
  /** `queued` counts new outbox rows; a command whose key another event already queued adds none. */
  | { duplicate: false; inboxId: number; queued: number };

export type DeliveredState = Extract<OutboxState, 'delivered' | 'not_attributed' | 'skipped' | 'dry_run'>;

/**
 * Identifies one claim of a row: a mark only applies if nobody re-claimed the row since. The
 * lease end is the token (a later claim always sets a later one); attempts guards a release.
 */
export interface Claim {
  id: number;
  attempts: number;
  leaseUntil: number | null;
}

export interface OutboxStats {
  counts: Record<OutboxState, number>;
  oldestPendingCreatedAt: number | null;
  inboxCount: number;
}

/**
 * What the pipeline needs from storage, stated as intent. Two drivers implement it (SQLite on
 * Node, D1 on Workers) and one contract test suite runs against both.
 */
export interface Store {
  /** Inbox row + outbox rows + learned links + sale ledger, all or nothing. */
  recordEvent(input: RecordEventInput): Promise<RecordEventResult>;
  /** Record-first: the verified event alone, state `received`, in one statement; a repeat is a duplicate. */
  recordReceived(record: Omit<NewInboxRecord, 'state' | 'reason'>): Promise<{ duplicate: boolean; inboxId: number }>;
  /** Received events waiting to be mapped, oldest first. */
  listReceived(limit: number): Promise<InboxRow[]>;
  /**
   * A received event's mapping: its new state and reason (`inbox.state`/`reason` of `input`) and
   * its outbox rows, links and ledger, all or nothing, only if it is still `received`.
   */
  /** An `unmapped` event that a remap found to be ignored (or compliance): its new state and reason. */
  resolveUnmapped(inboxId: number, state: 'ignored' | 'compliance', reason: string | null): Promise<void>;
  recordMapped(row: InboxRow, input: Pick<RecordEventInput, 'inbox' | 'outbox' | 'links'>): Promise<{ applied: boolean; queued: number }>;
  /** The external id linked to a provider customer id, within one tenant (null or absent = the env settings). */
  findCustomerLink(source: Source, providerCustomerId: string, tenant?: string | null): Promise<string | undefined>;
  /**
   * Leases up to `limit` due rows in one statement so no two dispatchers get the same row. Rows of
   * `skipTenants` (null = the default DUB_API_KEY) are left alone: their key is paused.
   */
  claimDue(now: number, limit: number, leaseMs: number, skipTenants?: ReadonlyArray<string | null>): Promise<OutboxRow[]>;
  markDelivered(claim: Claim, state: DeliveredState, response: string, at: number): Promise<boolean>;
  markRetry(claim: Claim, nextAttemptAt: number, error: string): Promise<boolean>;
  markDead(claim: Claim, error: string, at: number): Promise<boolean>;
  /** Gives a claimed row back without counting the attempt (delivery paused). */
  release(claim: Claim, nextAttemptAt: number, error: string): Promise<boolean>;
  /** Makes dead (or all matching) rows pending again, due now. Returns how many. */
  requeue(filter: RequeueFilter, now: number): Promise<number>;
  /** Rows matching a filter (replay selects with it), oldest first. */
  listOutbox(filter: OutboxFilter): Promise<OutboxRow[]>;
  /** The newest dead letters with their last error, for `status`. */
  listDeadLetters(limit: number): Promise<DeadLetter[]>;
  /** An inbox row by id (digits) or provider event id (Stripe `evt_…`, Shopify event/webhook id). */
  findInboxByEvent(ref: string): Promise<InboxRow | undefined>;
  /**
   * Replaces a finished row's command with a rebuilt one and makes it pending, due `now` (replay
   * with remap). `conflict`: another row already holds the new idempotency key; `pending`: the row
   * is still being delivered and is left alone.
   */
  replaceCommand(id: number, record: NewOutboxRecord, now: number): Promise<'replaced' | 'conflict' | 'pending' | 'not_found'>;
  /** Adds rebuilt commands to an existing inbox event; keys already queued are skipped. Returns how many. */
  addCommands(inboxId: number, source: Source, records: NewOutboxRecord[], now: number): Promise<number>;
  /** The sale with this invoiceId, else the sale any of `refs` (provider reference kind -> value) belongs to. */
  findSale(lookup: { invoiceId?: string | null | undefined; refs?: SaleRefs; tenant?: string | null }): Promise<SaleLedgerRow | undefined>;
  /** The refunds applied (or being applied) to a sale, to skip a repeat and settle a lost answer. */
  listRefundApplications(invoiceId: string, tenant?: string | null): Promise<RefundApplicationRow[]>;
  /**
   * Records a refund as `sending` (owned by `owner` until `leaseUntil`) before its PATCH, only if
   * the sale's `refunded_sent` is still `expectedRefundedSent` and no other refund of that sale is
   * in flight. False: try again later.
   */
  beginRefund(input: BeginRefundInput): Promise<boolean>;
  /**
   * Makes a `sending` refund `owner`'s with a new lease, if it already is, its lease ran out, or
   * `ownRetry` (the caller is that refund's own next attempt: its outbox claim makes it the only
   * one). False: another runner holds it (its PATCH may still be on the way).
   */
  takeOverRefund(input: { refundKey: string; owner: string; now: number; leaseUntil: number; ownRetry?: boolean }): Promise<boolean>;
  /**
   * Settles `owner`'s `sending` refund: landed -> `sent`, and the sale's `refunded_sent` raised to
   * its total (never lowered), atomically; not landed -> forgotten, so it can be sent again.
   * False: it was not `owner`'s any more (its lease ran out and another runner took it).
   */
  settleRefund(refundKey: string, landed: boolean, at: number, owner: string): Promise<boolean>;
  /** Carries out a Shopify compliance request; returns how many rows were scrubbed. */
  applyCompliance(action: ComplianceAction, inboxId: number, at: number): Promise<{ inbox: number; outbox: number }>;
  /** Drops raw payloads received before `before`, at most `limit` of them; returns how many. */
  prunePayloads(before: number, limit?: number): Promise<number>;
  /**
   * Strips names, emails and avatars from at most `limit` finished outbox commands created before
   * `before` and marks them scrubbed; returns how many.
   */
  scrubFinishedCommands(before: number, limit?: number): Promise<number>;
  /**
   * Deletes up to `limit` inbox events received before `before` whose commands are all done
   * (delivered, not attributed, skipped), with those commands: dead letters and dry runs stay for
   * `replay`. The sale ledger and refund rows stay.
   */
  deleteFinishedRows(before: number, limit?: number): Promise<{ inbox: number; outbox: number }>;
  stats(): Promise<OutboxStats>;
  getOutbox(id: number): Promise<OutboxRow | undefined>;
  getInbox(id: number): Promise<InboxRow | undefined>;
  listOutboxForInbox(inboxId: number): Promise<OutboxRow[]>;
  /** Answers once the database is reachable (for /healthz). */
  ping(): Promise<void>;
}

/** Selects outbox rows; every given condition must hold. `from`/`to` bound `created_at` (ms, to exclusive). */
export interface OutboxFilter {
  ids?: number[];
  inboxIds?: number[];
  from?: number;
  to?: number;
  /** Which states; default: dead letters only. */
  states?: OutboxState[];
}

export type RequeueFilter = OutboxFilter;

/** A dead letter as operators see it: what it was, how often it was tried, and why it failed. */
export interface DeadLetter {
  id: number;
  inboxId: number;
  source: Source;
  kind: OutboxRow['kind'];
  idempotencyKey: string;
  eventKey: string;
  eventType: string;
  attempts: number;
  lastError: string | null;
  createdAt: number;
  deadAt: number | null;
}

export interface BeginRefundInput {
  refundKey: string;
  invoiceId: string;
  /** The sale's tenant ('' or absent = the env settings). */
  tenant?: string | null;
  /** The sale's `refunded_sent` this refund's delta was computed from. */
  expectedRefundedSent: number;
  /** The sale's `refunded_sent` once this refund is applied. */
  refundedTotal: number;
  /** JSON snapshot of the commissions before the PATCH. */
  commissionsBefore: string;
  /** JSON of the PATCH body sent to each commission. */
  change: string;
  /** The runner applying it, and until when no other runner may settle it. */
  owner: string;
  leaseUntil: number;
  at: number;
}

/**
 * The Store by intent: each consumer takes only its part, so what a module may touch is in its
 * signature (and a fake for a test needs only those methods).
 */
/** Ingest: recording events, received and mapped (the webhook handler, the mapper). */
export type IngestStore = Pick<
  Store,
  'recordEvent' | 'recordReceived' | 'listReceived' | 'recordMapped' | 'resolveUnmapped' | 'findCustomerLink' | 'applyCompliance'
>;
/** Delivery: leasing due rows and marking what Dub answered (the dispatcher). */
export type DeliveryStore = Pick<Store, 'claimDue' | 'markDelivered' | 'markRetry' | 'markDead' | 'release'>;
/** The refund ledger: sales and the refunds applied to them (the refund executor). */
export type RefundStore = Pick<Store, 'findSale' | 'getOutbox' | 'listRefundApplications' | 'beginRefund' | 'takeOverRefund' | 'settleRefund'>;
/** Compliance and retention: scrubbing and deleting what is kept (the sweeper, compliance topics). */
export type RetentionStore = Pick<Store, 'applyCompliance' | 'prunePayloads' | 'scrubFinishedCommands' | 'deleteFinishedRows'>;
/** Operators: replay, remap, dead letters, health (the CLI, the console, /healthz). */
export type AdminStore = Pick<
  Store,
  | 'requeue'
  | 'listOutbox'
  | 'listDeadLetters'
  | 'findInboxByEvent'
  | 'replaceCommand'
  | 'addCommands'
  | 'resolveUnmapped'
  | 'stats'
  | 'getOutbox'
  | 'getInbox'
  | 'listOutboxForInbox'
  | 'ping'
>;
