import * as z from 'zod';
import { bridgeMetadata, commands, ignored } from '../types.js';
import { lsToDubUnits } from './amount.js';
import { lsAmount, lsCurrency, lsId, lsMapper } from './envelope.js';

const refundedSchema = z.object({
  customer_id: lsId.nullish(),
  billing_reason: z.string().nullish(),
  status: z.string().min(1),
  refunded: z.union([z.boolean(), z.number()]).nullish(),
  currency: lsCurrency,
  total: lsAmount,
  refunded_amount: lsAmount.nullish(),
});

/**
 * `order_refunded` (invoiceId prefix `ls_order_`) and `subscription_payment_refunded`
 * (`ls_invoice_`): `refunded_amount` is cumulative and includes tax, so it is sent as
 * `refundedTotal` with `paymentAmount = total` and the refund ledger scales it to the pre-tax sale.
 * The sale's invoiceId is the refund id: a repeated or reordered event carries the same or a
 * smaller total and changes nothing.
 */
function refundMapper(prefix: 'ls_order_' | 'ls_invoice_') {
  return lsMapper(refundedSchema, (event, payment) => {
    // The first subscription payment's sale is its order; that order's own refund event adjusts it.
    if (prefix === 'ls_invoice_' && payment.billing_reason === 'initial') {
      return ignored('refund of the initial subscription payment: its order_refunded adjusts the sale');
    }
    const whole = payment.status === 'refunded' || payment.refunded === true;
    const refundedAmount = payment.refunded_amount ?? (whole ? payment.total : 0);
    if (refundedAmount <= 0) return ignored('nothing refunded (refunded_amount 0)');

    const refunded = lsToDubUnits(refundedAmount, payment.currency);
    const invoiceId = `${prefix}${event.data.id}`;
    return commands([
      {
        kind: 'refund',
        body: {
          refs: { invoiceId },
          refundedTotal: refunded.amount,
          ...(payment.total > 0 ? { paymentAmount: lsToDubUnits(payment.total, payment.currency).amount } : {}),
          fullyRefunded: whole || refundedAmount >= payment.total,
          currency: refunded.currency,
          refundId: invoiceId,
          metadata: bridgeMetadata({
            [prefix === 'ls_order_' ? 'lemonSqueezyOrderId' : 'lemonSqueezyInvoiceId']: event.data.id,
            lemonSqueezyCustomerId: payment.customer_id,
            lemonSqueezyWebhookId: event.meta.webhook_id,
            ...refunded.original,
          }),
        },
      },
    ]);
  });
}

/** `order_refunded`: refunds the `ls_order_<id>` sale. */
export const orderRefunded = refundMapper('ls_order_');
/** `subscription_payment_refunded`: refunds the `ls_invoice_<id>` renewal sale. */
export const subscriptionPaymentRefunded = refundMapper('ls_invoice_');
