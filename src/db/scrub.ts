import { sql, type SQL } from 'drizzle-orm';
import type { ComplianceAction } from '../mappers/types.js';
import type { AnySQLiteDatabase, AtomicRunner } from './drizzle-store.js';
import { complianceLog, inbox, outbox, outboxStates, type OutboxState } from './schema.js';
import type { Store } from './store.js';

/** Personal fields a stored Dub command may hold. */
const PERSONAL_PATHS = [
  '$.body.customerName',
  '$.body.customerEmail',
  '$.body.customerAvatar',
  '$.body.name',
  '$.body.email',
  '$.body.avatar',
  '$.leadIfUnknown.customerName',
  '$.leadIfUnknown.customerEmail',
  '$.leadIfUnknown.customerAvatar',
];

/** Customer ids a command may carry; a guest checkout's id is the buyer's email. */
const CUSTOMER_ID_PATHS = ['$.body.customerExternalId', '$.externalId', '$.leadIfUnknown.customerExternalId'];
const isEmail = (path: string) => `instr(coalesce(json_extract(command, '${path}'), ''), '@') > 0`;

/**
 * The stored command without its personal fields: names, emails, avatars, and customer ids that
 * are emails (replaced by `redacted`). Other ids and amounts stay: the audit trail.
 */
export const scrubbedCommand = sql.raw(
  CUSTOMER_ID_PATHS.reduce(
    (inner, path) => `CASE WHEN ${isEmail(path).replaceAll('command', inner)} THEN json_set(${inner}, '${path}', 'redacted') ELSE ${inner} END`,
    `json_remove(command, ${PERSONAL_PATHS.map((p) => `'${p}'`).join(', ')})`,
  ),
);

/** True for a stored command that still holds a personal field. */
export const commandHasPersonalData = sql.raw(
  `(${[...PERSONAL_PATHS.map((p) => `json_type(command, '${p}') IS NOT NULL`), ...CUSTOMER_ID_PATHS.map(isEmail)].join(' OR ')})`,
);

const text = (column: SQL | string | typeof inbox.payload, path: string) =>
  sql`CAST(json_extract(${typeof column === 'string' ? sql.raw(column) : column}, ${path}) AS TEXT)`;

/**
 * Which stored events belong to the customer or shop of a compliance request, found with the
 * provider's paths. Ids are compared as text: Shopify's exceed 2^53 and SQLite's JSON keeps them exact.
 */
function matchingInbox(action: ComplianceAction): SQL {
  const paths = action.paths;
  const shop = sql`${inbox.source} = ${paths.source} AND ${inbox.account} = ${action.shop}`;
  if (action.action === 'redact_shop') return shop;
  const customerOf = (column: string) =>
    sql.join(
      [
        ...paths.customerIds.map(
          ({ types, path }) => sql`(${sql.raw(column)}.event_type LIKE ${types} AND ${text(`${column}.payload`, path)} = ${action.customerId ?? ''})`,
        ),
        ...paths.emails.map((path) => sql`json_extract(${sql.raw(column)}.payload, ${path}) = ${action.email ?? ''}`),
      ],
      sql` OR `,
    );
  const known = sql`${action.customerId || action.email ? sql`(${customerOf('inbox')})` : sql`0`}`;
  // Orders named by the request (guest checkouts have no customer to match), and the refunds of
  // every order that is scrubbed: a refund names its order, not its customer.
  const orderIds = JSON.stringify(action.action === 'redact_customer' ? (action.orderIds ?? []) : []);
  const named = sql`(${inbox.eventType} LIKE ${paths.orders.types} AND ${text(inbox.payload, paths.orders.idPath)} IN (SELECT value FROM json_each(${orderIds})))`;
  const refunds = sql`(${inbox.eventType} LIKE ${paths.refunds.types} AND (
      ${text(inbox.payload, paths.refunds.orderIdPath)} IN (SELECT value FROM json_each(${orderIds}))
      OR ${text(inbox.payload, paths.refunds.orderIdPath)} IN (
        SELECT ${text('o.payload', paths.orders.idPath)} FROM ${inbox} o
        WHERE o.source = ${paths.source} AND o.account = ${action.shop} AND o.event_type LIKE ${paths.orders.types} AND o.payload IS NOT NULL
          AND (${customerOf('o')}))))`;
  return sql`${shop} AND ${inbox.payload} IS NOT NULL AND (${known} OR ${named} OR ${refunds})`;
}

/**
 * Plans the scrub for a compliance request: raw payloads are dropped and stored Dub commands lose
 * names and emails; the request itself is logged with what it touched. The statements are run
 * atomically by the caller.
 */
export async function planCompliance(db: AnySQLiteDatabase, action: ComplianceAction, inboxId: number, at: number) {
  const scrubbed = { inbox: 0, outbox: 0 };
  const statements: SQL[] = [];
  if (action.action !== 'data_request') {
    const inboxMatch = sql`${matchingInbox(action)} AND ${inbox.id} <> ${inboxId}`;
    const outboxMatch = matchingOutbox(action);
    const [i] = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM ${inbox} WHERE ${inboxMatch}`);
    const [o] = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM ${outbox} WHERE ${outboxMatch}`);
    scrubbed.inbox = Number(i?.n ?? 0);
    scrubbed.outbox = Number(o?.n ?? 0);
    statements.push(
      sql`UPDATE ${outbox} SET command = ${scrubbedCommand}, customer_key = NULL WHERE ${outboxMatch}`,
      sql`UPDATE ${inbox} SET payload = NULL, state = 'redacted', reason = ${`scrubbed by ${action.action}`} WHERE ${inboxMatch}`,
      // The request's own body names the customer too; compliance_log is the record that remains.
      sql`UPDATE ${inbox} SET payload = NULL WHERE ${inbox.id} = ${inboxId}`,
    );
  }
  statements.push(
    sql`INSERT INTO ${complianceLog} (inbox_id, action, shop, scrubbed_inbox, scrubbed_outbox, at)
        VALUES (${inboxId}, ${action.action}, ${action.shop}, ${scrubbed.inbox}, ${scrubbed.outbox}, ${at})`,
  );
  return { statements, scrubbed };
}

function matchingOutbox(action: ComplianceAction): SQL {
  const paths = action.paths;
  const ofShop = sql`${outbox.inboxId} IN (SELECT ${inbox.id} FROM ${inbox} WHERE ${inbox.source} = ${paths.source} AND ${inbox.account} = ${action.shop})`;
  if (action.action === 'redact_shop') return ofShop;
  // Guest orders use the email (or the guest key of the order) as the customer id: those commands match by key too.
  const guestKeys = action.action === 'redact_customer' ? (action.orderIds ?? []).map((id) => `${paths.guestKeyPrefix}${id}`) : [];
  const keys = [action.customerId, action.email, ...guestKeys].filter((v): v is string => Boolean(v));
  // Only commands of this shop's events: another shop's customer may share an id or an email.
  const byKey = keys.length ? sql`OR (${outbox.customerKey} IN (SELECT value FROM json_each(${JSON.stringify(keys)})) AND ${ofShop})` : sql``;
  return sql`${outbox.source} = ${paths.source} AND (${outbox.inboxId} IN (SELECT ${inbox.id} FROM ${inbox} WHERE ${matchingInbox(action)}) ${byKey})`;
}

/** Every state but `pending` (still to be sent with its names and emails). */
const NOT_PENDING = outboxStates.filter((state) => state !== 'pending');
/** States whose work is over: dead letters and dry runs are kept for `replay`, so are states added later. */
const DONE: readonly OutboxState[] = ['delivered', 'not_attributed', 'skipped'];
const inList = (states: readonly string[]) =>
  sql.join(
    states.map((s) => sql`${s}`),
    sql`, `,
  );
/** An inbox event retention may delete: every command of it (if any) is done. */
const deletable = (before: number) =>
  sql`i.received_at <= ${before} AND NOT EXISTS (SELECT 1 FROM ${outbox} o WHERE o.inbox_id = i.id AND o.state NOT IN (${inList(DONE)}))`;

/**
 * Retention's statements, one batch of at most `limit` rows each. Each reads an index that holds
 * only the rows still to do (`inbox_unpruned`, `outbox_unscrubbed`) or a range that shrinks as
 * rows are deleted, so a run costs the same on the first day and after years.
 */
export const retentionStatements = {
  prunePayloads: (before: number, limit: number) =>
    sql`UPDATE ${inbox} SET payload = NULL WHERE id IN (
          SELECT id FROM ${inbox} INDEXED BY inbox_unpruned WHERE payload IS NOT NULL AND received_at <= ${before} LIMIT ${limit})`,
  scrubFinishedCommands: (before: number, limit: number) =>
    sql`UPDATE ${outbox} SET command = ${scrubbedCommand}, scrubbed_at = CAST(strftime('%s', 'now') AS INTEGER) * 1000 WHERE id IN (
          SELECT id FROM ${outbox} INDEXED BY outbox_unscrubbed
          WHERE scrubbed_at IS NULL AND state IN (${inList(NOT_PENDING)}) AND created_at <= ${before} LIMIT ${limit})`,
  // Commands first (they reference their event), then the events left without any: one batch.
  deleteFinishedCommands: (before: number, limit: number) =>
    sql`DELETE FROM ${outbox} WHERE inbox_id IN (
          SELECT i.id FROM ${inbox} i WHERE ${deletable(before)} ORDER BY i.received_at, i.id LIMIT ${limit})`,
  deleteFinishedEvents: (before: number, limit: number) =>
    sql`DELETE FROM ${inbox} WHERE id IN (
          SELECT i.id FROM ${inbox} i WHERE ${deletable(before)} AND NOT EXISTS (SELECT 1 FROM ${outbox} o WHERE o.inbox_id = i.id)
          ORDER BY i.received_at, i.id LIMIT ${limit})`,
};

type RetentionMethods = Pick<Store, 'prunePayloads' | 'scrubFinishedCommands' | 'deleteFinishedRows'>;

/** The Store's retention over any drizzle SQLite database (SQLite file or D1). */
export function createRetention(atomic: AtomicRunner, defaultLimit = 500): RetentionMethods {
  const changes = async (statement: SQL) => (await atomic([statement]))[0]?.changes ?? 0;
  return {
    prunePayloads: (before, limit = defaultLimit) => changes(retentionStatements.prunePayloads(before, limit)),
    scrubFinishedCommands: (before, limit = defaultLimit) => changes(retentionStatements.scrubFinishedCommands(before, limit)),
    async deleteFinishedRows(before, limit = defaultLimit) {
      const [outboxDeleted, inboxDeleted] = await atomic([
        retentionStatements.deleteFinishedCommands(before, limit),
        retentionStatements.deleteFinishedEvents(before, limit),
      ]);
      return { inbox: inboxDeleted?.changes ?? 0, outbox: outboxDeleted?.changes ?? 0 };
    },
  };
}

export interface RetentionOptions {
  /** RETENTION_DAYS: raw payloads and personal fields of finished commands go after this. */
  retentionDays: number;
  /** ROW_RETENTION_DAYS: finished events and their commands are deleted after this. */
  rowRetentionDays: number;
  now: number;
  batchSize?: number;
  /** Batches per kind of work in one run; what is left waits for the next run. */
  maxBatches?: number;
}

export interface RetentionReport {
  payloads: number;
  commands: number;
  deletedInbox: number;
  deletedOutbox: number;
  /** False when a kind of work hit `maxBatches`: the next run goes on with it. */
  complete: boolean;
}

/**
 * One retention run (hourly on Node and Workers), in bounded batches. The sale ledger, sale
 * references and refund applications are kept: they hold no personal data, and they are what
 * stops a refund months later from being taken off twice.
 */
export async function runRetention(store: Store, options: RetentionOptions): Promise<RetentionReport> {
  const { batchSize = 500, maxBatches = 20 } = options;
  const day = 86_400_000;
  const personalBefore = options.now - options.retentionDays * day;
  const rowsBefore = options.now - options.rowRetentionDays * day;
  let complete = true;
  const repeat = async (batch: () => Promise<number>) => {
    let total = 0;
    for (let i = 0; i < maxBatches; i++) {
      const done = await batch();
      total += done;
      if (done < batchSize) return total;
    }
    complete = false;
    return total;
  };
  const payloads = await repeat(() => store.prunePayloads(personalBefore, batchSize));
  const commands = await repeat(() => store.scrubFinishedCommands(personalBefore, batchSize));
  let deletedOutbox = 0;
  const deletedInbox = await repeat(async () => {
    const deleted = await store.deleteFinishedRows(rowsBefore, batchSize);
    deletedOutbox += deleted.outbox;
    return deleted.inbox;
  });
  return { payloads, commands, deletedInbox, deletedOutbox, complete };
}

/** Whether a run every minute (the Workers Cron) is the hourly retention run: the one at minute 0 UTC. */
export const isRetentionRun = (now: number): boolean => new Date(now).getUTCMinutes() === 0;
