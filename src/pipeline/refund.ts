import type { Commission } from '../dub/client.js';
import type { RefundBody } from '../dub/commands.js';
import { done, failed, type DeliveryOutcome } from './outcome.js';
import { httpFailure, type ExecuteDeps } from './execute.js';

/** Commission states Dub will not change, or where a refund changes nothing. */
const FINAL_STATUSES = new Set(['paid', 'refunded', 'canceled', 'duplicate', 'fraud']);

/**
 * Applies a refund to the commission of the sale it belongs to. The sale ledger says which
 * invoiceId the sale was sent with and how much was already taken off, so a redelivered or
 * reordered cumulative refund (Stripe `amount_refunded`) never subtracts twice.
 */
export async function executeRefund(body: RefundBody, { client, store }: ExecuteDeps): Promise<DeliveryOutcome> {
  const sale = await store.findSale({ ...body.refs });
  if (!sale) return failed({ kind: 'waiting', message: 'refund waits for its sale: the bridge has not seen that sale yet' });
  const saleRow = await store.getOutbox(sale.outboxId);
  if (saleRow?.state === 'pending') {
    return failed({ kind: 'waiting', message: `refund waits for its sale ${sale.invoiceId} to be delivered` });
  }
  if (saleRow?.state !== 'delivered') {
    return done('skipped', JSON.stringify({ reason: `sale ${sale.invoiceId} was ${saleRow?.state ?? 'not found'}` }));
  }

  const newTotal = body.refundedTotal ?? sale.refundedSent + (body.refundedDelta ?? 0);
  const delta = newTotal - sale.refundedSent;
  if (delta <= 0) {
    return done('skipped', JSON.stringify({ reason: 'refund already applied', invoiceId: sale.invoiceId, refundedSent: sale.refundedSent }));
  }

  const listed = await client.listCommissions(sale.invoiceId);
  if (listed.status < 200 || listed.status >= 300) return httpFailure(listed);
  const commissions = (Array.isArray(listed.body) ? listed.body : []) as Commission[];
  if (commissions.length === 0) {
    return done('skipped', JSON.stringify({ reason: 'no commission for this sale (not attributed to a partner)', invoiceId: sale.invoiceId }));
  }
  const open = commissions.filter((c) => !FINAL_STATUSES.has(c.status));
  if (open.length === 0) {
    const statuses = [...new Set(commissions.map((c) => c.status))].join(', ');
    return done('skipped', JSON.stringify({ reason: `commission is ${statuses}; Dub does not change it`, invoiceId: sale.invoiceId }));
  }

  const fullRefund = body.fullyRefunded || newTotal >= sale.amount;
  const change = fullRefund ? ({ status: 'refunded' } as const) : { modifySaleAmount: -delta, currency: sale.currency };
  for (const commission of open) {
    const updated = await client.updateCommission(commission.id, change);
    if (updated.status < 200 || updated.status >= 300) return httpFailure(updated);
  }
  await store.recordRefundSent(sale.invoiceId, fullRefund ? Math.max(newTotal, sale.amount) : newTotal);
  return done(
    'delivered',
    JSON.stringify({ invoiceId: sale.invoiceId, commissions: open.map((c) => c.id), ...(fullRefund ? { status: 'refunded' } : { modifySaleAmount: -delta }) }),
  );
}
