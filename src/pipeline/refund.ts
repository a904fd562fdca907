import type { RefundApplicationRow, SaleLedgerRow } from '../db/schema.js';
import type { Commission, DubClient } from '../dub/client.js';
import type { RefundBody } from '../dub/commands.js';
import { done, failed, type DeliveryOutcome } from './outcome.js';
import { httpFailure, type ExecuteDeps } from './dub-response.js';
import { findRefundSale } from './refund-sale.js';

/** Commission states Dub will not change (paid), or where a refund changes nothing. */
const FINAL_STATUSES = new Set(['paid', 'refunded', 'canceled', 'duplicate', 'fraud']);

type Snapshot = Pick<Commission, 'id' | 'status' | 'amount'>;

/**
 * Applies a refund to the commission of the sale it belongs to. The sale ledger says which
 * invoiceId the sale was sent with and how much refunds already took off, so a redelivered or
 * reordered cumulative refund (Stripe `amount_refunded`) never subtracts twice; per-refund
 * application rows do the same for Shopify's one-refund deltas and for a PATCH whose answer was
 * lost (see `refundApplications` in the schema). `refundKey` is the refund's outbox key, which
 * also names its application row.
 */
export async function executeRefund(body: RefundBody, refundKey: string, deps: ExecuteDeps): Promise<DeliveryOutcome> {
  const { client, store } = deps;
  const now = deps.now ?? Date.now;
  const located = await findRefundSale(body, store, deps.findInvoiceForPayment);
  if (!located.found) return located.outcome;
  let sale = located.sale;
  if (body.currency !== sale.currency) {
    return skipped(sale, `the refund is in ${body.currency} but the sale in ${sale.currency}`);
  }

  const applications = await store.listRefundApplications(sale.invoiceId);
  if (applications.some((a) => a.refundKey === refundKey && a.state === 'sent')) {
    return skipped(sale, 'refund already applied');
  }

  let commissions: Commission[] | undefined;
  const unsettled = applications.find((a) => a.state === 'sending');
  if (unsettled) {
    // An earlier attempt (this refund's or another's) sent a PATCH and never heard back.
    const listed = await listCommissions(client, sale.invoiceId);
    if (!Array.isArray(listed)) return listed;
    commissions = listed;
    const landed = changedSince(unsettled, commissions);
    await store.settleRefund(unsettled.refundKey, landed, now());
    if (landed && unsettled.refundKey === refundKey) {
      return done('delivered', JSON.stringify({ invoiceId: sale.invoiceId, appliedBy: 'an earlier attempt whose answer was lost' }));
    }
    sale = (await store.findSale({ invoiceId: sale.invoiceId })) ?? sale;
  }

  const newTotal =
    body.refundedTotal === undefined
      ? sale.refundedSent + (body.refundedDelta ?? 0)
      : inSaleBasis(body.refundedTotal, body.paymentAmount, sale.amount);
  const delta = newTotal - sale.refundedSent;
  if (delta <= 0) return skipped(sale, `refund already applied (${sale.refundedSent} ${sale.currency} units taken off so far)`);

  if (!commissions) {
    const listed = await listCommissions(client, sale.invoiceId);
    if (!Array.isArray(listed)) return listed;
    commissions = listed;
  }
  if (commissions.length === 0) return skipped(sale, 'no commission for this sale in Dub (not attributed to a partner)');
  const open = commissions.filter((c) => !FINAL_STATUSES.has(c.status));
  if (open.length === 0) {
    const statuses = [...new Set(commissions.map((c) => c.status))].join(', ');
    return skipped(sale, `commission is ${statuses}; Dub does not change it`);
  }

  // A refund that reaches the sale amount voids the commission: modifySaleAmount in another
  // currency goes through today's exchange rate in Dub and might not land exactly on zero.
  const fullRefund = body.fullyRefunded || newTotal >= sale.amount;
  const began = await store.beginRefund({
    refundKey,
    invoiceId: sale.invoiceId,
    expectedRefundedSent: sale.refundedSent,
    refundedTotal: fullRefund ? Math.max(newTotal, sale.amount) : newTotal,
    commissionsBefore: JSON.stringify(open.map(({ id, status, amount }): Snapshot => ({ id, status, amount }))),
    at: now(),
  });
  if (!began) return failed({ kind: 'blocked', message: `another refund of sale ${sale.invoiceId} is being applied` });

  const change = fullRefund ? ({ status: 'refunded' } as const) : { modifySaleAmount: -delta, currency: sale.currency };
  for (const commission of open) {
    // A failure leaves the application `sending`; the next attempt settles it from Dub's answer.
    const updated = await client.updateCommission(commission.id, change);
    if (updated.status < 200 || updated.status >= 300) return httpFailure(updated);
  }
  await store.settleRefund(refundKey, true, now());
  return done('delivered', JSON.stringify({ invoiceId: sale.invoiceId, commissions: open.map((c) => c.id), ...change }));
}

/**
 * Stripe refunds count the whole payment (tax included) while the sale was sent without tax:
 * refunding half the payment takes half the sale off. Exact integer arithmetic, rounded half up.
 */
export function inSaleBasis(refunded: number, paymentAmount: number | undefined, saleAmount: number): number {
  if (!paymentAmount || paymentAmount === saleAmount) return refunded;
  const scaled = (BigInt(refunded) * BigInt(saleAmount) * 2n + BigInt(paymentAmount)) / (2n * BigInt(paymentAmount));
  return Number(scaled);
}

function skipped(sale: SaleLedgerRow, reason: string): DeliveryOutcome {
  return done('skipped', JSON.stringify({ reason, invoiceId: sale.invoiceId }));
}

/** Dub keeps one commission per invoiceId and program; the list is that one (or none). */
async function listCommissions(client: DubClient, invoiceId: string): Promise<Commission[] | DeliveryOutcome> {
  const listed = await client.listCommissions(invoiceId);
  if (listed.status < 200 || listed.status >= 300) return httpFailure(listed);
  return Array.isArray(listed.body) ? (listed.body as Commission[]) : [];
}

/**
 * Whether a PATCH whose answer was lost reached Dub: a commission it targeted now has another
 * status or sale amount than before. Dub's amounts are its own (converted to USD), so they are
 * only ever compared with Dub's.
 */
function changedSince(application: RefundApplicationRow, commissions: Commission[]): boolean {
  const before = JSON.parse(application.commissionsBefore) as Snapshot[];
  return before.some((was) => {
    const current = commissions.find((c) => c.id === was.id);
    return !current || current.status !== was.status || current.amount !== was.amount;
  });
}
