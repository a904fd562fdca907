import * as z from 'zod';
import type { DubCommand } from '../../dub/commands.js';
import { bridgeMetadata, commands, ignored, type CustomerLink } from '../types.js';
import { paddleToDubUnits } from './amount.js';
import { customValue } from './custom-data.js';
import { paddleCurrency, paddleCustomData, paddleMapper, paddleMoney } from './envelope.js';

const transactionSchema = z.object({
  id: z.string().min(1),
  status: z.string().nullish(),
  origin: z.string().nullish(),
  customer_id: z.string().nullish(),
  subscription_id: z.string().nullish(),
  invoice_number: z.string().nullish(),
  currency_code: paddleCurrency,
  custom_data: paddleCustomData,
  details: z.object({
    totals: z.object({ subtotal: paddleMoney, discount: paddleMoney.nullish(), tax: paddleMoney, total: paddleMoney }),
  }),
});
type Transaction = z.infer<typeof transactionSchema>;

/** `web`/`api` checkouts are first purchases; `subscription_recurring` bills a later period. */
function eventNameOf(transaction: Transaction): string {
  if (transaction.origin === 'subscription_recurring') return 'Subscription renewal';
  if ((transaction.origin === 'web' || transaction.origin === 'api') && transaction.subscription_id) return 'Subscription creation';
  return 'Purchase';
}

/**
 * `transaction.completed`: the sale, before tax and after discounts (`total − tax`). `custom_data`
 * set at checkout is copied to the subscription and every renewal, so the merchant's id usually
 * travels with it; otherwise the stored link for `ctm_…`, otherwise `ctm_…` itself.
 */
export const transactionCompleted = paddleMapper(transactionSchema, (event, txn, ctx) => {
  const merchantId = customValue(txn.custom_data, 'dubCustomerExternalId');
  const paddleCustomerId = txn.customer_id || undefined;
  const links: CustomerLink[] = paddleCustomerId && merchantId ? [{ source: 'paddle', providerCustomerId: paddleCustomerId, externalId: merchantId }] : [];

  const totals = txn.details.totals;
  const net = BigInt(totals.total) - BigInt(totals.tax);
  // A payment-method change or a 100 % discount completes a transaction that earned nothing.
  if (net <= 0n) return ignored(`transaction earned nothing before tax (origin ${txn.origin ?? 'unknown'})`, links);

  const externalId = merchantId ?? (paddleCustomerId ? ctx.linkedExternalId || paddleCustomerId : undefined);
  if (!externalId) return ignored('transaction names no customer (no custom_data.dubCustomerExternalId or customer_id)', links);

  const money = paddleToDubUnits(net, txn.currency_code);
  const clickId = customValue(txn.custom_data, 'dubClickId');
  const sale: DubCommand = {
    kind: 'sale',
    body: {
      customerExternalId: externalId,
      amount: money.amount,
      currency: money.currency,
      paymentProcessor: 'paddle',
      eventName: eventNameOf(txn),
      invoiceId: txn.id,
      metadata: bridgeMetadata({
        paddleEventId: event.event_id,
        paddleTransactionId: txn.id,
        paddleCustomerId,
        paddleSubscriptionId: txn.subscription_id,
        paddleInvoiceNumber: txn.invoice_number,
        paddleOrigin: txn.origin,
        paddleOccurredAt: event.occurred_at,
        ...money.original,
      }),
      // Paddle transactions never carry the customer's email or name (customer.* events do).
      ...(clickId ? { clickId, leadEventName: 'Sign up' } : {}),
    },
  };
  return commands([sale], links);
});
