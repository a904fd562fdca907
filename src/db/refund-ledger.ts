import { and, asc, eq, sql } from 'drizzle-orm';
import type { AnySQLiteDatabase, AtomicRunner } from './drizzle-store.js';
import { refundApplications, saleLedger } from './schema.js';
import type { Store } from './store.js';

type RefundLedger = Pick<Store, 'listRefundApplications' | 'beginRefund' | 'takeOverRefund' | 'settleRefund'>;

/** The Store's refund bookkeeping over any drizzle SQLite database (SQLite file or D1). */
export function createRefundLedger(db: AnySQLiteDatabase, atomic: AtomicRunner): RefundLedger {
  return {
    listRefundApplications(invoiceId, tenant) {
      return db
        .select()
        .from(refundApplications)
        .where(and(eq(refundApplications.tenant, tenant ?? ''), eq(refundApplications.invoiceId, invoiceId)))
        .orderBy(asc(refundApplications.updatedAt));
    },

    async beginRefund(input) {
      // One statement: the compare-and-set on refunded_sent and the partial unique index (one
      // `sending` row per sale) keep two bridges from sending deltas computed from the same total.
      const [inserted] = await atomic([
        sql`INSERT INTO ${refundApplications} (refund_key, tenant, invoice_id, state, refunded_total, commissions_before, change, owner, lease_until, updated_at)
            SELECT ${input.refundKey}, ${input.tenant ?? ''}, ${input.invoiceId}, 'sending', ${input.refundedTotal}, ${input.commissionsBefore}, ${input.change},
                   ${input.owner}, ${input.leaseUntil}, ${input.at}
            FROM ${saleLedger} WHERE ${saleLedger.tenant} = ${input.tenant ?? ''} AND ${saleLedger.invoiceId} = ${input.invoiceId}
              AND ${saleLedger.refundedSent} = ${input.expectedRefundedSent}
            ON CONFLICT DO NOTHING`,
      ]);
      return inserted?.changes === 1;
    },

    async takeOverRefund({ refundKey, owner, now, leaseUntil, ownRetry = false }) {
      // One statement decides between racing runners: the first sets a lease in the future, after
      // which the condition no longer holds for the others.
      const [taken] = await atomic([
        sql`UPDATE ${refundApplications} SET owner = ${owner}, lease_until = ${leaseUntil}, updated_at = ${now}
            WHERE refund_key = ${refundKey} AND state = 'sending'
              AND (${ownRetry ? 1 : 0} = 1 OR owner = ${owner} OR lease_until IS NULL OR lease_until <= ${now})`,
      ]);
      return taken?.changes === 1;
    },

    async settleRefund(refundKey, landed, at, owner) {
      const mine = sql`FROM ${refundApplications} WHERE refund_key = ${refundKey} AND state = 'sending' AND owner = ${owner}`;
      if (!landed) {
        const [deleted] = await atomic([sql`DELETE ${mine}`]);
        return deleted?.changes === 1;
      }
      // The ledger first: it reads the row while it is still `sending`.
      const [, sent] = await atomic([
        sql`UPDATE ${saleLedger} SET refunded_sent = max(refunded_sent, (SELECT refunded_total ${mine}))
            WHERE tenant = (SELECT tenant ${mine}) AND invoice_id = (SELECT invoice_id ${mine})`,
        sql`UPDATE ${refundApplications} SET state = 'sent', lease_until = NULL, updated_at = ${at}
            WHERE refund_key = ${refundKey} AND state = 'sending' AND owner = ${owner}`,
      ]);
      return sent?.changes === 1;
    },
  };
}
