import type { RefundStore } from '../db/store.js';
import type { SaleLedgerRow } from '../db/schema.js';
import type { RefundBody } from '../dub/commands.js';
import { done, failed, type DeliveryOutcome } from './outcome.js';
import type { SaleLookup } from '../handlers/provider.js';

/** The sale a refund belongs to, once it is delivered; otherwise what to do with the refund now. */
export type RefundSale = { found: true; sale: SaleLedgerRow } | { found: false; outcome: DeliveryOutcome };

/**
 * Finds the recorded sale of a refund: by the references the refund carries, then (Stripe API
 * 2025-03-31 and newer, where a charge names no invoice) by asking Stripe which invoice its payment
 * intent paid. A sale not seen yet or not delivered yet makes the refund wait (retried with
 * backoff, recorded as skipped once the attempts run out); a sale that will never reach Dub makes
 * it skip.
 */
export async function findRefundSale(
  body: RefundBody,
  store: Pick<RefundStore, 'findSale' | 'getOutbox'>,
  findInvoiceForPayment?: SaleLookup,
  tenant?: string | null,
  /** What to configure so the provider's API can be asked (said when no lookup is configured). */
  saleLookupHint?: string,
): Promise<RefundSale> {
  // Refunds recorded before sale references were generic name the charge `chargeId`.
  const { invoiceId, chargeId, ...refs } = body.refs;
  let sale = await store.findSale({ invoiceId, refs: chargeId ? { ...refs, charge: chargeId } : refs, tenant });
  if (!sale && findInvoiceForPayment) {
    let found: Awaited<ReturnType<SaleLookup>>;
    try {
      found = await findInvoiceForPayment(body);
    } catch (error) {
      return { found: false, outcome: failed({ kind: 'network', message: (error as Error).message }) };
    }
    if (found) sale = await store.findSale({ ...found, tenant });
  }
  if (!sale) return { found: false, outcome: failed({ kind: 'waiting', message: saleNotSeen(body, findInvoiceForPayment ? undefined : saleLookupHint) }) };

  const saleRow = await store.getOutbox(sale.outboxId);
  // No row: retention deleted it after ROW_RETENTION_DAYS, which it only does to finished rows;
  // the ledger stays, and Dub's commission list says whether there is anything to refund.
  if (!saleRow) return { found: true, sale };
  switch (saleRow.state) {
    case 'delivered':
      return { found: true, sale };
    case 'pending':
      return { found: false, outcome: failed({ kind: 'blocked', message: `sale ${sale.invoiceId} is not delivered to Dub yet` }) };
    case 'not_attributed':
      return skipped(sale, 'no commission: Dub did not attribute the sale to a partner (sale: null)');
    case 'dead':
      return skipped(sale, 'the sale is dead-lettered; requeue the sale, then this refund');
    default:
      return skipped(sale, `the sale was not sent to Dub (${saleRow.state})`);
  }
}

function skipped(sale: SaleLedgerRow, reason: string): RefundSale {
  return { found: false, outcome: done('skipped', JSON.stringify({ reason, invoiceId: sale.invoiceId })) };
}

/** Also the final reason once the attempts run out, so it names what was looked for. */
function saleNotSeen(body: RefundBody, hint: string | undefined): string {
  const refs = Object.entries(body.refs)
    .filter(([, value]) => value)
    .map(([name, value]) => `${name} ${value}`)
    .join(', ');
  return `no sale recorded for this refund (${refs})${hint ? `; ${hint}` : ''}`;
}
