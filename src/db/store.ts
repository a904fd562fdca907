import type { SaleRefs } from '../dub/commands.js';
import type { ComplianceAction, CustomerLink } from '../mappers/types.js';
import type { InboxRow, OutboxRow, OutboxState, SaleLedgerRow } from './schema.js';

export type Source = 'stripe' | 'shopify';

export interface NewInboxRecord {
  source: Source;
  eventKey: string;
  eventType: string;
  account: string | null;
  receivedAt: number;
  payload: string;
  state: InboxRow['state'];
  reason: string | null;
}

export interface NewOutboxRecord {
  kind: OutboxRow['kind'];
  idempotencyKey: string;
  customerKey: string | null;
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

export type DeliveredState = Extract<OutboxState, 'delivered' | 'not_attributed' | 'skipped'>;

/** Identifies one claim of a row: a mark only applies if nobody re-claimed the row since. */
export interface Claim {
  id: number;
  attempts: number;
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
  findCustomerLink(source: Source, providerCustomerId: string): Promise<string | undefined>;
  /** Leases up to `limit` due rows in one statement so no two dispatchers get the same row. */
  claimDue(now: number, limit: number, leaseMs: number): Promise<OutboxRow[]>;
  markDelivered(claim: Claim, state: DeliveredState, response: string, at: number): Promise<boolean>;
  markRetry(claim: Claim, nextAttemptAt: number, error: string): Promise<boolean>;
  markDead(claim: Claim, error: string, at: number): Promise<boolean>;
  /** Gives a claimed row back without counting the attempt (delivery paused). */
  release(claim: Claim, nextAttemptAt: number, error: string): Promise<boolean>;
  /** Makes dead (or all matching) rows pending again, due now. Returns how many. */
  requeue(filter: RequeueFilter, now: number): Promise<number>;
  findSale(refs: SaleRefs & { invoiceId?: string | null | undefined }): Promise<SaleLedgerRow | undefined>;
  /** Raises the refunded amount already sent for a sale (never lowers it). */
  recordRefundSent(invoiceId: string, refundedTotal: number): Promise<void>;
  /** Carries out a Shopify compliance request; returns how many rows were scrubbed. */
  applyCompliance(action: ComplianceAction, inboxId: number, at: number): Promise<{ inbox: number; outbox: number }>;
  /** Drops raw payloads older than `before`. */
  prunePayloads(before: number): Promise<number>;
  stats(): Promise<OutboxStats>;
  getOutbox(id: number): Promise<OutboxRow | undefined>;
  getInbox(id: number): Promise<InboxRow | undefined>;
  listOutboxForInbox(inboxId: number): Promise<OutboxRow[]>;
  /** Answers once the database is reachable (for /healthz). */
  ping(): Promise<void>;
}

export interface RequeueFilter {
  ids?: number[];
  inboxIds?: number[];
  from?: number;
  to?: number;
  /** Which states to requeue; default: dead letters only. */
  states?: OutboxState[];
}
