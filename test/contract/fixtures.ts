import type { OutboxRow, OutboxState } from '../../src/db/schema.js';
import type { Claim, NewInboxRecord, NewOutboxRecord, Store } from '../../src/db/store.js';

/**
 * Builders shared by the store contract's parts. No `node:` imports: the contract also runs inside
 * workerd against D1.
 */

/** The contract's clock: every time a test passes to the store is counted from here (ms). */
export const T0 = 1_700_000_000_000;

/** The store under test, set afresh before each test by `storeContract`. */
export interface ContractContext {
  store: Store;
}

/** An inbox record of a Stripe-shaped event received at T0, overridable field by field. */
export function inboxRecord(eventKey: string, overrides: Partial<NewInboxRecord> = {}): NewInboxRecord {
  return {
    source: 'stripe',
    eventKey,
    eventType: 'checkout.session.completed',
    account: null,
    receivedAt: T0,
    payload: JSON.stringify({ id: eventKey }),
    state: 'mapped',
    reason: null,
    ...overrides,
  };
}

/** An outbox record (a sale with no customer, due at T0 unless overridden). */
export function command(idempotencyKey: string, overrides: Partial<NewOutboxRecord> = {}): NewOutboxRecord {
  return {
    kind: 'sale',
    idempotencyKey,
    customerKey: null,
    command: JSON.stringify({ kind: 'sale', key: idempotencyKey }),
    rank: 1,
    dueAt: T0,
    ...overrides,
  };
}

/** A sale record whose ledger row is `invoiceId` with the given provider references. */
export function saleCommand(invoiceId: string, refs: Record<string, string | null> = {}, overrides: Partial<NewOutboxRecord> = {}): NewOutboxRecord {
  return command(`sale:${invoiceId}`, { sale: { invoiceId, amount: 10_000, currency: 'usd', refs }, ...overrides });
}

/** Records one new event with these commands and returns its inbox id. */
export async function record(store: Store, eventKey: string, rows: NewOutboxRecord[], inbox: Partial<NewInboxRecord> = {}): Promise<number> {
  const result = await store.recordEvent({ inbox: inboxRecord(eventKey, { receivedAt: rows[0]?.dueAt ?? T0, ...inbox }), outbox: rows, links: [] });
  if (result.duplicate) throw new Error(`fixture ${eventKey} was recorded twice`);
  return result.inboxId;
}

export const claimOf = (row: Pick<OutboxRow, 'id' | 'attempts' | 'leaseUntil'>): Claim => ({
  id: row.id,
  attempts: row.attempts,
  leaseUntil: row.leaseUntil,
});

/**
 * Drives rows to a final state the way the dispatcher does: claims every row due at `at`, marks
 * the ones named in `states` (by idempotency key) and gives the others back untouched.
 */
export async function finish(store: Store, states: Record<string, OutboxState>, at: number): Promise<void> {
  const claimed = await store.claimDue(at, 1_000, 1);
  for (const row of claimed) {
    const state = states[row.idempotencyKey];
    if (state === 'dead') await store.markDead(claimOf(row), 'gave up', at);
    else if (state && state !== 'pending') await store.markDelivered(claimOf(row), state, '{"ok":true}', at);
    else await store.release(claimOf(row), row.nextAttemptAt, 'held by the fixture');
  }
  const missing = Object.keys(states).filter((key) => !claimed.some((row) => row.idempotencyKey === key));
  if (missing.length) throw new Error(`fixture could not claim ${missing.join(', ')}`);
}

/** The outbox rows of an event, by idempotency key. */
export async function rowsOf(store: Store, inboxId: number): Promise<Record<string, OutboxRow>> {
  return Object.fromEntries((await store.listOutboxForInbox(inboxId)).map((row) => [row.idempotencyKey, row]));
}

/** A stored command parsed back, to compare JSON regardless of how SQLite re-serialised it. */
export async function storedCommand(store: Store, id: number): Promise<unknown> {
  const row = await store.getOutbox(id);
  return row ? JSON.parse(row.command) : undefined;
}
