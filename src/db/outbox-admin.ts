import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { AnySQLiteDatabase, AtomicRunner } from './drizzle-store.js';
import { inbox, outbox, saleLedger, saleRefs } from './schema.js';
import type { DeadLetter, NewOutboxRecord, OutboxFilter, Source, Store } from './store.js';

/**
 * `column IN (ids)` with the ids as ONE parameter (a JSON array): D1 refuses a statement with more
 * than 100 bound parameters ("too many SQL variables"), and a replay of every dead letter of a
 * reason or range selects and requeues up to a thousand ids at once. SQLite took them as a list.
 * An empty list matches nothing.
 */
const inIds = (column: typeof outbox.id | typeof outbox.inboxId, ids: number[]) => sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`;

/** The WHERE conditions of an outbox filter (shared by listing and requeueing). */
export function outboxConditions(filter: OutboxFilter): SQL {
  const conditions: SQL[] = [inArray(outbox.state, filter.states ?? ['dead'])];
  if (filter.ids) conditions.push(inIds(outbox.id, filter.ids));
  if (filter.inboxIds) conditions.push(inIds(outbox.inboxId, filter.inboxIds));
  if (filter.from !== undefined) conditions.push(sql`${outbox.createdAt} >= ${filter.from}`);
  if (filter.to !== undefined) conditions.push(sql`${outbox.createdAt} < ${filter.to}`);
  return and(...conditions)!;
}

/**
 * A sale's ledger row and its references, taken from the outbox row that now holds `record` (so
 * nothing lands if it does not).
 */
function ledgerUpsert(record: NewOutboxRecord, source: Source, rowMatch: SQL, at: number, replace: boolean): SQL[] {
  if (!record.sale) return [];
  const { invoiceId, amount, currency, refs } = record.sale;
  const tenant = record.tenant ?? '';
  const onConflict = replace
    ? sql`DO UPDATE SET amount = excluded.amount, currency = excluded.currency WHERE sale_ledger.outbox_id = excluded.outbox_id`
    : sql`DO NOTHING`;
  const held = sql`FROM ${outbox} o WHERE ${rowMatch} AND o.idempotency_key = ${record.idempotencyKey}`;
  return [
    sql`INSERT INTO ${saleLedger} (tenant, invoice_id, source, outbox_id, amount, currency, refunded_sent, created_at)
      SELECT ${tenant}, ${invoiceId}, ${source}, o.id, ${amount}, ${currency}, 0, ${at} ${held}
      ON CONFLICT (tenant, invoice_id) ${onConflict}`,
    sql`INSERT INTO ${saleRefs} (tenant, source, kind, value, invoice_id)
      SELECT ${tenant}, ${source}, r.key, r.value, ${invoiceId} FROM json_each(${JSON.stringify(refs)}) r
      WHERE r.type = 'text' AND r.value <> '' AND EXISTS (SELECT 1 ${held})
      ON CONFLICT DO NOTHING`,
  ];
}

type AdminMethods = Pick<Store, 'listOutbox' | 'listDeadLetters' | 'findInboxByEvent' | 'replaceCommand' | 'addCommands'>;

/**
 * The operator side of the store: selecting rows for replay, rebuilding their commands, dead
 * letters for `status`. Plain SQL, so D1 runs it too.
 */
export function createOutboxAdmin(db: AnySQLiteDatabase, atomic: AtomicRunner): AdminMethods {
  return {
    async listOutbox(filter) {
      return db.select().from(outbox).where(outboxConditions(filter)).orderBy(asc(outbox.id));
    },

    async listDeadLetters(limit): Promise<DeadLetter[]> {
      const rows = await db
        .select({
          id: outbox.id,
          inboxId: outbox.inboxId,
          source: outbox.source,
          kind: outbox.kind,
          idempotencyKey: outbox.idempotencyKey,
          eventKey: inbox.eventKey,
          eventType: inbox.eventType,
          attempts: outbox.attempts,
          lastError: outbox.lastError,
          createdAt: outbox.createdAt,
          deadAt: outbox.deliveredAt,
        })
        .from(outbox)
        .innerJoin(inbox, eq(inbox.id, outbox.inboxId))
        .where(eq(outbox.state, 'dead'))
        .orderBy(desc(outbox.deliveredAt), desc(outbox.id))
        .limit(limit);
      return rows;
    },

    async findInboxByEvent(ref) {
      // A Shopify key is `shop:topic:deliveryId`; operators usually paste only the delivery id.
      const match = /^\d+$/.test(ref)
        ? eq(inbox.id, Number(ref))
        : sql`${inbox.eventKey} = ${ref} OR (${inbox.source} = 'shopify' AND substr(${inbox.eventKey}, -length(${ref}) - 1) = ${`:${ref}`})`;
      return (await db.select().from(inbox).where(match).orderBy(asc(inbox.id)).limit(1))[0];
    },

    async replaceCommand(id, record, now) {
      const [before] = await db.select({ state: outbox.state, source: outbox.source }).from(outbox).where(eq(outbox.id, id));
      if (!before) return 'not_found';
      if (before.state === 'pending') return 'pending';
      const statements: SQL[] = [
        sql`UPDATE ${outbox} SET command = ${record.command}, idempotency_key = ${record.idempotencyKey},
              customer_key = ${record.customerKey}, rank = ${record.rank}, state = 'pending', attempts = 0,
              next_attempt_at = ${now}, lease_until = NULL, delivered_at = NULL, response = NULL
            WHERE id = ${id} AND state <> 'pending'
              AND NOT EXISTS (SELECT 1 FROM ${outbox} other WHERE other.idempotency_key = ${record.idempotencyKey} AND other.id <> ${id})`,
      ];
      const ledger = ledgerUpsert(record, before.source, sql`o.id = ${id} AND o.command = ${record.command}`, now, true);
      statements.push(...ledger);
      await atomic(statements);
      const [after] = await db.select({ key: outbox.idempotencyKey, command: outbox.command }).from(outbox).where(eq(outbox.id, id));
      return after?.key === record.idempotencyKey && after.command === record.command ? 'replaced' : 'conflict';
    },

    async addCommands(inboxId, source, records, now) {
      if (records.length === 0) return 0;
      const count = () => db.$count(outbox, eq(outbox.inboxId, inboxId));
      const before = await count();
      const statements: SQL[] = [];
      for (const record of records) {
        statements.push(sql`INSERT INTO ${outbox} (inbox_id, source, kind, idempotency_key, customer_key, tenant, command, rank, state, attempts, created_at, next_attempt_at)
            VALUES (${inboxId}, ${source}, ${record.kind}, ${record.idempotencyKey}, ${record.customerKey}, ${record.tenant ?? null}, ${record.command}, ${record.rank}, 'pending', 0, ${now}, ${now})
            ON CONFLICT (idempotency_key) DO NOTHING`);
        const ledger = ledgerUpsert(record, source, sql`o.inbox_id = ${inboxId}`, now, false);
        statements.push(...ledger);
      }
      // An event an older mapper ignored, or could not map, is now mapped.
      statements.push(sql`UPDATE ${inbox} SET state = 'mapped', reason = NULL
          WHERE id = ${inboxId} AND state IN ('ignored', 'unmapped') AND EXISTS (SELECT 1 FROM ${outbox} WHERE inbox_id = ${inboxId})`);
      await atomic(statements);
      return (await count()) - before;
    },
  };
}
