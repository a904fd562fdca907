import type { RefundApplicationRow, SaleLedgerRow } from '../db/schema.js';
import type { Commission, DubClient } from '../dub/client.js';
import type { RefundBody } from '../dub/commands.js';
import { done, failed, type DeliveryOutcome } from './outcome.js';
import { httpFailure, type ExecuteDeps } from './dub-response.js';
import { findRefundSale } from './refund-sale.js';

/** Commission states Dub will not change (paid), or where a refund changes nothing. */
const FINAL_STATUSES = new Set(['paid', 'refunded', 'canceled', 'duplicate', 'fraud']);
const DEFAULT_LEASE_MS = 60_000;

type Snapshot = Pick<Commission, 'id' | 'status' | 'amount'>;
/** The PATCH body a refund sends to each open commission of its sale. */
type Change = { status: 'refunded' } | { modifySaleAmount: number; currency: string };

/**
 * Who applies refunds: `runnerId` names one dispatcher (one per process or Worker invocation), so
 * it may settle its own unfinished refunds at once; anyone else waits until `refundLeaseMs` after
 * the refund started, except the refund's own next attempt. Without a runnerId each call is its
 * own runner (safe; another refund of the sale then waits out the lease).
 */
export interface RefundRunner {
  runnerId?: string;
  refundLeaseMs?: number;
}

interface Context {
  client: DubClient;
  runner: string;
  leaseMs: number;
  now: () => number;
}

/**
 * Applies a refund to the commission of the sale it belongs to. The sale ledger says which
 * invoiceId the sale was sent with and how much refunds already took off, so a redelivered or
 * reordered cumulative refund (Stripe `amount_refunded`) never subtracts twice; per-refund
 * application rows do the same for one-refund deltas and for a PATCH whose answer was lost (see
 * `refundApplications` in the schema). `refundKey` is the refund's outbox key, which also names
 * its application row. Several processes or isolates may run refunds of one sale at once: a
 * started refund belongs to its runner until its lease ends.
 */
export async function executeRefund(body: RefundBody, refundKey: string, deps: ExecuteDeps & RefundRunner): Promise<DeliveryOutcome> {
  const { client, store } = deps;
  const ctx: Context = { client, now: deps.now ?? Date.now, runner: deps.runnerId ?? crypto.randomUUID(), leaseMs: deps.refundLeaseMs ?? DEFAULT_LEASE_MS };
  const located = await findRefundSale(body, store, deps.findInvoiceForPayment, deps.tenant, deps.saleLookupHint);
  if (!located.found) return located.outcome;
  let sale = located.sale;
  if (body.currency !== sale.currency) {
    return skipped(sale, `the refund is in ${body.currency} but the sale in ${sale.currency}`);
  }

  const applications = await store.listRefundApplications(sale.invoiceId, deps.tenant);
  if (applications.some((a) => a.refundKey === refundKey && a.state === 'sent')) {
    return skipped(sale, 'refund already applied');
  }
  const unsettled = applications.find((a) => a.state === 'sending');
  if (unsettled) {
    // An earlier attempt (this refund's or another's) started a PATCH: finish or forget it first.
    const settled = await settle(unsettled, unsettled.refundKey === refundKey, deps, ctx);
    if (settled !== 'sent' && settled !== 'forgotten') return settled;
    if (settled === 'sent' && unsettled.refundKey === refundKey) {
      return done('delivered', JSON.stringify({ invoiceId: sale.invoiceId, appliedBy: 'an earlier attempt whose answer was lost' }));
    }
    sale = (await store.findSale({ invoiceId: sale.invoiceId, tenant: deps.tenant })) ?? sale;
  }

  const newTotal =
    body.refundedTotal === undefined ? sale.refundedSent + (body.refundedDelta ?? 0) : inSaleBasis(body.refundedTotal, body.paymentAmount, sale.amount);
  const delta = newTotal - sale.refundedSent;
  if (delta <= 0) return skipped(sale, `refund already applied (${sale.refundedSent} ${sale.currency} units taken off so far)`);

  const commissions = await listCommissions(client, sale.invoiceId);
  if (!Array.isArray(commissions)) return commissions;
  if (commissions.length === 0) return skipped(sale, 'no commission for this sale in Dub (not attributed to a partner)');
  const open = commissions.filter((c) => !FINAL_STATUSES.has(c.status));
  if (open.length === 0) {
    const statuses = [...new Set(commissions.map((c) => c.status))].join(', ');
    return skipped(sale, `commission is ${statuses}; Dub does not change it`);
  }

  // A refund that reaches the sale amount voids the commission: modifySaleAmount in another
  // currency goes through today's exchange rate in Dub and might not land exactly on zero.
  const fullRefund = body.fullyRefunded || newTotal >= sale.amount;
  const change: Change = fullRefund ? { status: 'refunded' } : { modifySaleAmount: -delta, currency: sale.currency };
  const leaseUntil = ctx.now() + ctx.leaseMs;
  const began = await store.beginRefund({
    refundKey,
    invoiceId: sale.invoiceId,
    tenant: sale.tenant,
    expectedRefundedSent: sale.refundedSent,
    refundedTotal: fullRefund ? Math.max(newTotal, sale.amount) : newTotal,
    commissionsBefore: JSON.stringify(open.map(({ id, status, amount }): Snapshot => ({ id, status, amount }))),
    change: JSON.stringify(change),
    owner: ctx.runner,
    leaseUntil,
    at: ctx.now(),
  });
  if (!began) return failed({ kind: 'blocked', message: `another refund of sale ${sale.invoiceId} is being applied` });

  const patched = await patchEach(open, change, leaseUntil, ctx);
  if (patched !== 'patched') {
    // Dub refused the first PATCH (4xx): nothing changed, so nothing is in flight any more.
    if (patched.refusedFirst) await store.settleRefund(refundKey, false, ctx.now(), ctx.runner);
    return patched.outcome;
  }
  if (!(await store.settleRefund(refundKey, true, ctx.now(), ctx.runner))) return leaseLost(sale.invoiceId);
  return done('delivered', JSON.stringify({ invoiceId: sale.invoiceId, commissions: open.map((c) => c.id), ...change }));
}

/**
 * Settles an unfinished refund once it is this runner's (its own, this refund's own next attempt,
 * or its lease ran out): each
 * commission is compared with the state its PATCH would produce. None reached it: forgotten, so
 * it is computed and sent again. Some did: the others get the same PATCH, then it counts as sent.
 */
async function settle(application: RefundApplicationRow, ownRetry: boolean, deps: ExecuteDeps, ctx: Context): Promise<'sent' | 'forgotten' | DeliveryOutcome> {
  const { store } = deps;
  const leaseUntil = ctx.now() + ctx.leaseMs;
  const mine = await store.takeOverRefund({ refundKey: application.refundKey, owner: ctx.runner, now: ctx.now(), leaseUntil, ownRetry });
  if (!mine) {
    const until = application.leaseUntil === null ? 'shortly' : `until ${new Date(application.leaseUntil).toISOString()}`;
    return failed({ kind: 'blocked', message: `another refund of sale ${application.invoiceId} is being applied by another runner (${until})` });
  }
  const commissions = await listCommissions(ctx.client, application.invoiceId);
  if (!Array.isArray(commissions)) return commissions;
  const change = application.change ? (JSON.parse(application.change) as Change) : null;
  const before = JSON.parse(application.commissionsBefore) as Snapshot[];
  const reached = before.filter((was) => hasReached(was, commissions, change));
  if (reached.length === 0) {
    await store.settleRefund(application.refundKey, false, ctx.now(), ctx.runner);
    return 'forgotten';
  }
  // Rows written before the change was stored cannot be finished: what landed counts.
  const untouched = change ? before.filter((was) => isUntouched(was, commissions)) : [];
  const patched = change && untouched.length ? await patchEach(untouched, change, leaseUntil, ctx) : 'patched';
  if (patched !== 'patched') return patched.outcome;
  return (await store.settleRefund(application.refundKey, true, ctx.now(), ctx.runner)) ? 'sent' : leaseLost(application.invoiceId);
}

/** A refund PATCH landed on this commission: it is refunded, or (a partial refund) its sale amount went down. */
function hasReached(was: Snapshot, commissions: Commission[], change: Change | null): boolean {
  const current = commissions.find((c) => c.id === was.id);
  if (!current) return false;
  if (current.status === 'refunded') return true;
  const partial = !change || 'modifySaleAmount' in change;
  return partial && current.amount !== undefined && was.amount !== undefined && current.amount < was.amount;
}

/** Exactly as it was before the PATCH, and still open to one. */
function isUntouched(was: Snapshot, commissions: Commission[]): boolean {
  const current = commissions.find((c) => c.id === was.id);
  return !!current && current.status === was.status && current.amount === was.amount && !FINAL_STATUSES.has(current.status);
}

type PatchFailure = { outcome: DeliveryOutcome; refusedFirst: boolean };

/**
 * PATCHes each commission while at least half the lease is left (a slower PATCH could outlive the
 * lease and land after another runner settled the refund). A failure leaves the refund `sending`.
 */
async function patchEach(commissions: Snapshot[], change: Change, leaseUntil: number, ctx: Context): Promise<'patched' | PatchFailure> {
  for (const [index, commission] of commissions.entries()) {
    if (leaseUntil - ctx.now() < ctx.leaseMs / 2) {
      return { outcome: failed({ kind: 'blocked', message: 'the refund lease is running out; the next attempt finishes the refund' }), refusedFirst: false };
    }
    const updated = await ctx.client.updateCommission(commission.id, change);
    if (updated.status < 200 || updated.status >= 300) {
      return { outcome: httpFailure(updated), refusedFirst: index === 0 && updated.status >= 400 && updated.status < 500 };
    }
  }
  return 'patched';
}

const leaseLost = (invoiceId: string) =>
  failed({ kind: 'blocked', message: `the refund lease of sale ${invoiceId} ran out before it was recorded; the next attempt checks Dub` });

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
