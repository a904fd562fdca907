import { and, asc, desc, eq, exists, gte, inArray, isNull, like, lt, or, sql, type SQL } from 'drizzle-orm';
import type { AnySQLiteDatabase } from '../db/drizzle-store.js';
import { customerLinks, inbox, outbox, outboxStates, type InboxRow, type OutboxRow } from '../db/schema.js';

/**
 * The read questions operators ask (what arrived, what became of it, why it failed), in one place
 * for the CLI and the console. Plain drizzle over any SQLite driver: better-sqlite3 and D1 alike.
 */

const eventStates: readonly string[] = inbox.state.enumValues;
const HOUR_MS = 3_600_000;
const { id, source, eventKey, eventType, account, receivedAt, state, reason } = inbox;
const eventColumns = { id, source, eventKey, eventType, account, receivedAt, state, reason };

export type EventSummary = Omit<InboxRow, 'payload' | 'receipt' | 'tenant' | 'contentKey'> & { commands: { id: number; kind: string; state: string }[] };

export interface EventFilter {
  source?: string;
  /** An event state (`ignored`), or a command state (`dead`): events with a command in it. */
  state?: string;
  /**
   * A value to look for: provider event id, order/invoice/payment id, customer id or email, click
   * id. Matched exactly against stored values (emails case-insensitively), never echoed back.
   */
  term?: string;
  /** Received in [from, to) (ms since epoch). */
  from?: number;
  to?: number;
  limit: number;
}

/** Any scalar in a JSON document equal to `term` (ids may be numbers in a payload). */
function jsonHas(json: SQL, term: string): SQL {
  const atom = term.includes('@') ? sql`lower(j.atom) = ${term.toLowerCase()}` : sql`CAST(j.atom AS TEXT) = ${term}`;
  return sql`EXISTS (SELECT 1 FROM json_tree(${json}) j WHERE j.atom IS NOT NULL AND ${atom})`;
}

/** Events whose key, commands, customer links or retained payload hold `term`. */
function termMatches(term: string): SQL {
  // instr() rules most payloads out before json_tree parses any.
  const inPayload = term.includes('@') ? sql`instr(lower(${inbox.payload}), ${term.toLowerCase()})` : sql`instr(${inbox.payload}, ${term})`;
  return sql`(${inbox.eventKey} = ${term} OR substr(${inbox.eventKey}, -length(${term}) - 1) = ${`:${term}`}
    OR EXISTS (SELECT 1 FROM ${outbox} o WHERE o.inbox_id = ${inbox.id} AND (o.customer_key = ${term}
      OR o.customer_key IN (SELECT l.external_id FROM ${customerLinks} l WHERE l.provider_customer_id = ${term})
      OR ${jsonHas(sql`o.command`, term)}))
    OR (${inPayload} > 0 AND json_valid(${inbox.payload}) AND ${jsonHas(sql`${inbox.payload}`, term)}))`;
}

/** The newest events matching a filter, each with its commands' kinds and states (CLI `events list`, console search). */
export async function listEvents(db: AnySQLiteDatabase, filter: EventFilter): Promise<EventSummary[]> {
  const conditions: (SQL | undefined)[] = [];
  if (filter.source) conditions.push(eq(inbox.source, filter.source));
  if (filter.state && eventStates.includes(filter.state)) conditions.push(sql`${inbox.state} = ${filter.state}`);
  else if (filter.state) {
    const withState = db
      .select({ one: sql`1` })
      .from(outbox)
      .where(and(eq(outbox.inboxId, inbox.id), sql`${outbox.state} = ${filter.state}`));
    conditions.push(exists(withState));
  }
  if (filter.term?.trim()) conditions.push(termMatches(filter.term.trim()));
  if (filter.from !== undefined) conditions.push(gte(inbox.receivedAt, filter.from));
  if (filter.to !== undefined) conditions.push(lt(inbox.receivedAt, filter.to));
  const events = await db
    .select(eventColumns)
    .from(inbox)
    .where(and(...conditions))
    .orderBy(desc(inbox.id))
    .limit(filter.limit);
  if (events.length === 0) return [];
  const commands = await db
    .select({ id: outbox.id, inboxId: outbox.inboxId, kind: outbox.kind, state: outbox.state })
    .from(outbox)
    .where(
      inArray(
        outbox.inboxId,
        events.map((e) => e.id),
      ),
    )
    .orderBy(outbox.id);
  return events.map((event) => ({
    ...event,
    commands: commands.filter((c) => c.inboxId === event.id).map(({ id, kind, state }) => ({ id, kind, state })),
  }));
}

/** `reason`: Dub's answer that paused delivery (`401 unauthorized: …`); `tenant`: whose key (null = DUB_API_KEY). */
export type DeliveryPause = { paused: boolean; reason: string | null; tenant: string | null };

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

export type TracedEvent = Omit<InboxRow, 'receipt' | 'tenant' | 'contentKey'>;

/** One provider event from receipt to Dub: the inbox row (payload included) and every command made of it. */
export async function eventTrace(db: AnySQLiteDatabase, inboxId: number): Promise<{ event: TracedEvent; commands: OutboxRow[] } | undefined> {
  const [event] = await db
    .select({ ...eventColumns, payload: inbox.payload })
    .from(inbox)
    .where(eq(inbox.id, inboxId));
  if (!event) return undefined;
  const commands = await db.select().from(outbox).where(eq(outbox.inboxId, inboxId)).orderBy(asc(outbox.id));
  return { event, commands };
}

/** Dead letters sharing Dub's last answer (or the bridge's reason; null when none was kept). */
export type ReasonGroup = { reason: string | null; count: number; kinds: string; newestAt: number | null };

/** Dead letters grouped by why they died, largest group first. */
export async function deadLetterReasons(db: AnySQLiteDatabase): Promise<ReasonGroup[]> {
  return db
    .select({
      reason: outbox.lastError,
      count: sql<number>`count(*)`.mapWith(Number),
      kinds: sql<string>`group_concat(DISTINCT ${outbox.kind})`,
      newestAt: sql<number | null>`max(${outbox.deliveredAt})`,
    })
    .from(outbox)
    .where(eq(outbox.state, 'dead'))
    .groupBy(outbox.lastError)
    .orderBy(desc(sql`count(*)`), desc(sql`max(${outbox.deliveredAt})`));
}

export type CommandRow = OutboxRow & { eventKey: string; eventType: string };

/** Commands with their event, by ids or by dead-letter reason (`reason: null` = died without one); newest first. */
export async function listCommands(db: AnySQLiteDatabase, select: { ids?: number[]; deadReason?: string | null; limit: number }): Promise<CommandRow[]> {
  const conditions: SQL[] = [];
  if (select.ids) conditions.push(inArray(outbox.id, select.ids.length ? select.ids : [-1]));
  if (select.deadReason !== undefined) {
    conditions.push(eq(outbox.state, 'dead'), select.deadReason === null ? isNull(outbox.lastError) : eq(outbox.lastError, select.deadReason));
  }
  const rows = await db
    .select({ row: outbox, eventKey: inbox.eventKey, eventType: inbox.eventType })
    .from(outbox)
    .innerJoin(inbox, eq(inbox.id, outbox.inboxId))
    .where(and(...conditions))
    .orderBy(desc(outbox.id))
    .limit(select.limit);
  return rows.map(({ row, eventKey, eventType }) => ({ ...row, eventKey, eventType }));
}

/** `tenant`: the TENANTS_FILE tenant; null = DUB_API_KEY. */
export type StateCount = { source: string; tenant: string | null; state: string; count: number; oldestCreatedAt: number | null };

/** Commands per provider, tenant and state, with the oldest one's creation time (the pending age). */
export async function commandCounts(db: AnySQLiteDatabase): Promise<StateCount[]> {
  return db
    .select({
      source: outbox.source,
      tenant: outbox.tenant,
      state: outbox.state,
      count: sql<number>`count(*)`.mapWith(Number),
      oldestCreatedAt: sql<number | null>`min(${outbox.createdAt})`,
    })
    .from(outbox)
    .groupBy(outbox.source, outbox.tenant, outbox.state)
    .orderBy(outbox.source, outbox.tenant);
}

/** `hour` starts the hour (ms); `delivered`: accepted by Dub (incl. not_attributed); `failed`: became dead letters. */
export type HourlyDeliveries = { source: string; tenant: string | null; hour: number; delivered: number; failed: number };

/** Deliveries and dead letters per hour over the last 24 hours (this hour included), per provider and tenant. */
export async function hourlyDeliveries(db: AnySQLiteDatabase, now: number): Promise<HourlyDeliveries[]> {
  const since = Math.floor(now / HOUR_MS) * HOUR_MS - 23 * HOUR_MS;
  // Literal, not bound: drivers bind JS numbers as REAL, which would make the division fractional.
  const hour = sql<number>`(${outbox.deliveredAt} / ${sql.raw(String(HOUR_MS))}) * ${sql.raw(String(HOUR_MS))}`.mapWith(Number);
  return db
    .select({
      source: outbox.source,
      tenant: outbox.tenant,
      hour,
      delivered: sql<number>`sum(${outbox.state} IN ('delivered', 'not_attributed'))`.mapWith(Number),
      failed: sql<number>`sum(${outbox.state} = 'dead')`.mapWith(Number),
    })
    .from(outbox)
    .where(and(gte(outbox.deliveredAt, since), inArray(outbox.state, ['delivered', 'not_attributed', 'dead'])))
    .groupBy(outbox.source, outbox.tenant, hour)
    .orderBy(hour);
}

/** The queries bound to one database: what the console receives (`createConsole({ queries })`). */
export function opsQueries(db: AnySQLiteDatabase) {
  return {
    /** Event and command states, for filters. */
    states: { event: eventStates, command: outboxStates as readonly string[] },
    listEvents: (filter: EventFilter) => listEvents(db, filter),
    deliveryPause: () => deliveryPause(db),
    eventTrace: (inboxId: number) => eventTrace(db, inboxId),
    deadLetterReasons: () => deadLetterReasons(db),
    listCommands: (select: Parameters<typeof listCommands>[1]) => listCommands(db, select),
    commandCounts: () => commandCounts(db),
    hourlyDeliveries: (now: number) => hourlyDeliveries(db, now),
  };
}

export type OpsQueries = ReturnType<typeof opsQueries>;
