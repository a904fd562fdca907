import { and, desc, eq, exists, inArray, like, or, sql, type SQL } from 'drizzle-orm';
import type { AnySQLiteDatabase } from '../db/drizzle-store.js';
import { inbox, outbox, type InboxRow, type OutboxState } from '../db/schema.js';
import type { Source } from '../db/store.js';
import { inboxStates } from './event-states.js';

/**
 * Read-only questions operators ask that the Store interface has no method for (it states what
 * the pipeline needs); they run on the CLI's read-only connection.
 */

type InboxState = InboxRow['state'];

export type EventSummary = Omit<InboxRow, 'payload' | 'receipt'> & { commands: { id: number; kind: string; state: OutboxState }[] };

export interface EventFilter {
  source?: Source;
  /** An inbox state (`ignored`), or an outbox state (`dead`): events with a command in it. */
  state?: string;
  limit: number;
}

/** The newest events first, each with its commands' kinds and states. */
export async function listEvents(db: AnySQLiteDatabase, filter: EventFilter): Promise<EventSummary[]> {
  const conditions: SQL[] = [];
  if (filter.source) conditions.push(eq(inbox.source, filter.source));
  if (filter.state && (inboxStates as readonly string[]).includes(filter.state)) {
    conditions.push(eq(inbox.state, filter.state as InboxState));
  } else if (filter.state) {
    const withState = db
      .select({ one: sql`1` })
      .from(outbox)
      .where(and(eq(outbox.inboxId, inbox.id), eq(outbox.state, filter.state as OutboxState)));
    conditions.push(exists(withState));
  }
  const events = await db
    .select({
      id: inbox.id,
      source: inbox.source,
      eventKey: inbox.eventKey,
      eventType: inbox.eventType,
      account: inbox.account,
      receivedAt: inbox.receivedAt,
      state: inbox.state,
      reason: inbox.reason,
    })
    .from(inbox)
    .where(and(...conditions))
    .orderBy(desc(inbox.id))
    .limit(filter.limit);
  if (events.length === 0) return [];
  const commands = await db
    .select({ id: outbox.id, inboxId: outbox.inboxId, kind: outbox.kind, state: outbox.state })
    .from(outbox)
    .where(inArray(outbox.inboxId, events.map((e) => e.id)))
    .orderBy(outbox.id);
  return events.map((event) => ({
    ...event,
    commands: commands.filter((c) => c.inboxId === event.id).map(({ id, kind, state }) => ({ id, kind, state })),
  }));
}

export interface DeliveryPause {
  paused: boolean;
  /** Dub's answer that paused delivery (`401 unauthorized: …`). */
  reason: string | null;
  /** The TENANTS_FILE tenant whose key was refused; null = DUB_API_KEY. */
  tenant: string | null;
}

/**
 * Whether delivery is paused. The dispatcher keeps the pause in memory, but each row it gives back
 * on a 401/403 keeps Dub's answer as `last_error` while it waits, pending; those rows are the
 * durable trace of a pause, and they clear as soon as a probe succeeds and they are delivered.
 */
export async function deliveryPause(db: AnySQLiteDatabase): Promise<DeliveryPause> {
  const rows = await db
    .select({ lastError: outbox.lastError, tenant: outbox.tenant })
    .from(outbox)
    .where(and(eq(outbox.state, 'pending'), or(like(outbox.lastError, '401%'), like(outbox.lastError, '403%'))))
    .orderBy(desc(outbox.nextAttemptAt))
    .limit(1);
  return { paused: rows.length > 0, reason: rows[0]?.lastError ?? null, tenant: rows[0]?.tenant ?? null };
}
