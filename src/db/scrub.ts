import { sql, type SQL } from 'drizzle-orm';
import type { ComplianceAction } from '../mappers/types.js';
import type { AnySQLiteDatabase } from './drizzle-store.js';
import { complianceLog, inbox, outbox } from './schema.js';

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

/** The stored command without its personal fields (ids and amounts stay: the audit trail). */
export const scrubbedCommand = sql.raw(`json_remove(command, ${PERSONAL_PATHS.map((p) => `'${p}'`).join(', ')})`);

/** True for a stored command that still holds a personal field. */
export const commandHasPersonalData = sql.raw(`(${PERSONAL_PATHS.map((p) => `json_type(command, '${p}') IS NOT NULL`).join(' OR ')})`);

/**
 * Which stored Shopify events belong to the customer or shop of a compliance request. Customer ids
 * are compared as text because Shopify ids exceed 2^53 and SQLite's JSON keeps them exact.
 */
function matchingInbox(action: ComplianceAction): SQL {
  const shop = sql`${inbox.source} = 'shopify' AND ${inbox.account} = ${action.shop}`;
  if (action.action === 'redact_shop') return shop;
  const byId = action.customerId
    ? sql`(CAST(json_extract(${inbox.payload}, '$.customer.id') AS TEXT) = ${action.customerId}
          OR (${inbox.eventType} IN ('customers/create', 'customers/update') AND CAST(json_extract(${inbox.payload}, '$.id') AS TEXT) = ${action.customerId}))`
    : sql`0`;
  const byEmail = action.email
    ? sql`(json_extract(${inbox.payload}, '$.email') = ${action.email} OR json_extract(${inbox.payload}, '$.customer.email') = ${action.email})`
    : sql`0`;
  return sql`${shop} AND ${inbox.payload} IS NOT NULL AND (${byId} OR ${byEmail})`;
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
  if (action.action === 'redact_shop') {
    return sql`${outbox.inboxId} IN (SELECT ${inbox.id} FROM ${inbox} WHERE ${inbox.source} = 'shopify' AND ${inbox.account} = ${action.shop})`;
  }
  const keys = [action.customerId, action.email].filter((v): v is string => Boolean(v));
  const byKey = keys.length ? sql`OR ${outbox.customerKey} IN (${sql.join(keys.map((k) => sql`${k}`), sql`, `)})` : sql``;
  return sql`${outbox.source} = 'shopify' AND (${outbox.inboxId} IN (SELECT ${inbox.id} FROM ${inbox} WHERE ${matchingInbox(action)}) ${byKey})`;
}
