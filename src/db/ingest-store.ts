import { and, asc, eq, or } from 'drizzle-orm';
import type { AnySQLiteDatabase, AtomicRunner, Statement } from './drizzle-store.js';
import { recordStatements } from './record-statements.js';
import { inbox } from './schema.js';
import type { NewInboxRecord, RecordEventInput, RecordEventResult, Store } from './store.js';

type IngestMethods = Pick<Store, 'recordEvent' | 'recordReceived' | 'listReceived' | 'recordMapped' | 'resolveUnmapped'>;

/** The inbox row a set of statements belongs to: this source and key, written under `receipt`. */
interface Owner {
  source: string;
  eventKey: string;
  receipt: string;
  receivedAt: number;
  /** The event's tenant for the ledger and links ('' = the env settings). */
  ledgerTenant: string;
}

/**
 * Outbox rows, sale ledger and references, and customer links of a mapped event. Each statement
 * applies only while the inbox row carries `owner.receipt`, so a concurrent redelivery or a second
 * mapper writes nothing. Returns the statements and which of them queue commands.
 */
function commandStatements(owner: Owner, input: Pick<RecordEventInput, 'outbox' | 'links'>, offset: number) {
  const statements: Statement[] = [];
  const outboxAt: number[] = [];
  for (const row of input.outbox) {
    outboxAt.push(offset + statements.length);
    // Object.assign, not spreads: merging objects with spreads is a slow path in V8.
    statements.push(recordStatements.outbox(Object.assign({}, owner, row, { tenant: row.tenant ?? null })));
    if (row.sale) {
      const { invoiceId, amount, currency, refs } = row.sale;
      const sale = Object.assign({}, owner, { invoiceId, amount, currency, idempotencyKey: row.idempotencyKey, refs: JSON.stringify(refs) });
      statements.push(recordStatements.sale(sale), recordStatements.saleRefs(sale));
    }
  }
  for (const link of input.links) statements.push(recordStatements.link(Object.assign({}, owner, link)));
  return { statements, outboxAt };
}

/** Writing events: mapped at once (`recordEvent`), or received first and mapped after the ack. */
export function createIngestStore(db: AnySQLiteDatabase, atomic: AtomicRunner): IngestMethods {
  /** The event a duplicate repeats: same event key, or same content key. */
  const existing = async (source: string, eventKey: string, contentKey?: string | null) => {
    const sameKey = contentKey ? or(eq(inbox.eventKey, eventKey), eq(inbox.contentKey, contentKey)) : eq(inbox.eventKey, eventKey);
    const [row] = await db
      .select({ id: inbox.id })
      .from(inbox)
      .where(and(eq(inbox.source, source), sameKey))
      .limit(1);
    if (!row) throw new Error(`inbox row for ${source} ${eventKey} missing after insert`);
    return row.id;
  };

  return {
    async recordEvent(input: RecordEventInput): Promise<RecordEventResult> {
      const { source, eventKey, receivedAt } = input.inbox;
      // The receipt tells this delivery's inbox row from one a concurrent redelivery inserted.
      const owner = { source, eventKey, receipt: crypto.randomUUID(), receivedAt, ledgerTenant: input.inbox.tenant ?? '' };
      const { statements, outboxAt } = commandStatements(owner, input, 1);
      const [inserted, ...rest] = await atomic([recordStatements.inbox(Object.assign({ tenant: null, contentKey: null }, input.inbox, owner)), ...statements]);
      if (inserted?.changes !== 1) return { duplicate: true, inboxId: await existing(source, eventKey) };
      // Outbox statements changed a row only when they queued a command (new, or an upgrade).
      const queued = outboxAt.filter((index) => rest[index - 1]!.changes > 0).length;
      return { duplicate: false, inboxId: inserted.lastInsertRowid, queued };
    },

    async recordReceived(record: Omit<NewInboxRecord, 'state' | 'reason'>) {
      const row = Object.assign({ tenant: null, contentKey: null }, record, { state: 'received', reason: null, receipt: crypto.randomUUID() });
      const [inserted] = await atomic([recordStatements.inbox(row)]);
      if (inserted?.changes === 1) return { duplicate: false, inboxId: inserted.lastInsertRowid };
      return { duplicate: true, inboxId: await existing(record.source, record.eventKey, record.contentKey) };
    },

    listReceived(limit) {
      return db.select().from(inbox).where(eq(inbox.state, 'received')).orderBy(asc(inbox.id)).limit(limit);
    },

    async resolveUnmapped(inboxId, state, reason) {
      await atomic([recordStatements.resolved({ id: inboxId, state, reason })]);
    },

    async recordMapped(row, input) {
      // Taking the row out of `received` under a new receipt is the claim: a second mapper (another
      // process, a Worker isolate) finds it taken and its statements write nothing.
      const owner = { source: row.source, eventKey: row.eventKey, receipt: crypto.randomUUID(), receivedAt: row.receivedAt, ledgerTenant: row.tenant ?? '' };
      const { statements, outboxAt } = commandStatements(owner, input, 1);
      const [claimed, ...rest] = await atomic([
        recordStatements.mapped({ id: row.id, state: input.inbox.state, reason: input.inbox.reason, receipt: owner.receipt }),
        ...statements,
      ]);
      if (claimed?.changes !== 1) return { applied: false, queued: 0 };
      return { applied: true, queued: outboxAt.filter((index) => rest[index - 1]!.changes > 0).length };
    },
  };
}
