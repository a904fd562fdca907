import { fillPlaceholders, sql, type Query, type SQL } from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { customerLinks, inbox, outbox, saleLedger, saleRefs } from './schema.js';

const dialect = new SQLiteSyncDialect();
const p = (name: string) => sql.placeholder(name);

/**
 * Compiles a statement once, with named placeholders; each call fills in the values. Recording a
 * webhook runs these five for every event, and building and compiling them per event cost more
 * than SQLite running them. The SQL is drizzle's own, so both drivers take it.
 */
function compiled(statement: SQL): (values: object) => Query {
  const query = dialect.sqlToQuery(statement);
  return (values) => ({ sql: query.sql, params: fillPlaceholders(query.params, values as Record<string, unknown>) });
}

// This delivery's inbox row: absent when the event was recorded before (its receipt differs).
const ownInbox = sql`(SELECT ${inbox.id} FROM ${inbox} WHERE ${inbox.source} = ${p('source')} AND ${inbox.eventKey} = ${p('eventKey')} AND ${inbox.receipt} = ${p('receipt')})`;

/** The statements `recordEvent` writes in one transaction, by what they record. */
export const recordStatements = {
  // Either unique key (the event key, or a content key) makes the event a duplicate.
  inbox: compiled(sql`INSERT INTO ${inbox} (source, event_key, event_type, account, tenant, content_key, received_at, payload, state, reason, receipt)
      VALUES (${p('source')}, ${p('eventKey')}, ${p('eventType')}, ${p('account')}, ${p('tenant')}, ${p('contentKey')}, ${p('receivedAt')}, ${p('payload')}, ${p('state')}, ${p('reason')}, ${p('receipt')})
      ON CONFLICT DO NOTHING`),

  // A received event taken for mapping: its new state and the receipt its commands are written under.
  mapped: compiled(sql`UPDATE ${inbox} SET state = ${p('state')}, reason = ${p('reason')}, receipt = ${p('receipt')}
      WHERE id = ${p('id')} AND state = 'received'`),

  // An unmapped event that a remap found to be ignored (or a compliance request).
  resolved: compiled(sql`UPDATE ${inbox} SET state = ${p('state')}, reason = ${p('reason')} WHERE id = ${p('id')} AND state = 'unmapped'`),

  // A pending, unclaimed row with a lower rank is replaced (a provisional sale upgraded by the
  // checkout that carries the merchant's attribution); anything else keeps the first.
  outbox:
    compiled(sql`INSERT INTO ${outbox} (inbox_id, source, kind, idempotency_key, customer_key, tenant, command, rank, state, attempts, created_at, next_attempt_at)
      SELECT id, ${p('source')}, ${p('kind')}, ${p('idempotencyKey')}, ${p('customerKey')}, ${p('tenant')}, ${p('command')}, ${p('rank')}, 'pending', 0, ${p('receivedAt')}, ${p('dueAt')}
      FROM ${inbox} WHERE id = ${ownInbox}
      ON CONFLICT (idempotency_key) DO UPDATE SET
        command = excluded.command, customer_key = excluded.customer_key, rank = excluded.rank,
        next_attempt_at = excluded.next_attempt_at
      WHERE outbox.state = 'pending' AND outbox.rank < excluded.rank
        AND (outbox.lease_until IS NULL OR outbox.lease_until <= ${p('receivedAt')})`),

  // Ledger rows, references and links are the event's tenant's (`ledgerTenant`, '' = the env).
  sale: compiled(sql`INSERT INTO ${saleLedger} (tenant, invoice_id, source, outbox_id, amount, currency, refunded_sent, created_at)
      SELECT ${p('ledgerTenant')}, ${p('invoiceId')}, ${p('source')}, o.id, ${p('amount')}, ${p('currency')}, 0, ${p('receivedAt')}
      FROM ${outbox} o WHERE o.idempotency_key = ${p('idempotencyKey')} AND o.inbox_id = ${ownInbox}
      ON CONFLICT (tenant, invoice_id) DO NOTHING`),

  // Every reference a sale event carries (`{"paymentIntent": "pi_…", …}` as JSON), one row each; the
  // same sale seen through a second event (checkout, then its invoice) adds the ones it lacked.
  saleRefs: compiled(sql`INSERT INTO ${saleRefs} (tenant, source, kind, value, invoice_id)
      SELECT ${p('ledgerTenant')}, ${p('source')}, r.key, r.value, ${p('invoiceId')} FROM json_each(${p('refs')}) r
      WHERE r.type = 'text' AND r.value <> '' AND EXISTS ${ownInbox}
      ON CONFLICT DO NOTHING`),

  link: compiled(sql`INSERT INTO ${customerLinks} (tenant, source, provider_customer_id, external_id, updated_at)
      SELECT ${p('ledgerTenant')}, ${p('source')}, ${p('providerCustomerId')}, ${p('externalId')}, ${p('receivedAt')}
      WHERE EXISTS ${ownInbox}
      ON CONFLICT (tenant, source, provider_customer_id) DO UPDATE SET external_id = excluded.external_id, updated_at = excluded.updated_at`),
};
