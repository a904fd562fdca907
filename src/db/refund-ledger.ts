import { asc, eq, sql } from 'drizzle-orm';
import type { AnySQLiteDatabase, AtomicRunner } from './drizzle-store.js';
import { refundApplications, saleLedger } from './schema.js';
import type { Store } from './store.js';

type RefundLedger = Pick<Store, 'listRefundApplications' | 'beginRefund' | 'settleRefund'>;

/** The Store's refund bookkeeping over any drizzle SQLite database (SQLite file or D1). */
export function createRefundLedger(db: AnySQLiteDatabase, atomic: AtomicRunner): RefundLedger {
  return {
    listRefundApplications(invoiceId) {
      return db
        .select()
        .from(refundApplications)
        .where(eq(refundApplications.invoiceId, invoiceId))
        .orderBy(asc(refundApplications.updatedAt));
    },

    async beginRefund(input) {
      // One statement: the compare-and-set on refunded_sent and the partial unique index (one
      // `sending` row per sale) keep two bridges from sending deltas computed from the same total.
      const [inserted] = await atomic([
        sql`INSERT INTO ${refundApplications} (refund_key, invoice_id, state, refunded_total, commissions_before, updated_at)
            SELECT ${input.refundKey}, ${input.invoiceId}, 'sending', ${input.refundedTotal}, ${input.commissionsBefore}, ${input.at}
            FROM ${saleLedger} WHERE ${saleLedger.invoiceId} = ${input.invoiceId} AND ${saleLedger.refundedSent} = ${input.expectedRefundedSent}
            ON CONFLICT DO NOTHING`,
      ]);
      return inserted?.changes === 1;
    },

    async settleRefund(refundKey, landed, at) {
      const sending = sql`FROM ${refundApplications} WHERE refund_key = ${refundKey} AND state = 'sending'`;
      if (!landed) {
        await atomic([sql`DELETE ${sending}`]);
        return;
      }
      // The ledger first: it reads the row while it is still `sending`.
      await atomic([
        sql`UPDATE ${saleLedger} SET refunded_sent = max(refunded_sent, (SELECT refunded_total ${sending}))
            WHERE invoice_id = (SELECT invoice_id ${sending})`,
        sql`UPDATE ${refundApplications} SET state = 'sent', updated_at = ${at} WHERE refund_key = ${refundKey} AND state = 'sending'`,
      ]);
    },
  };
}
