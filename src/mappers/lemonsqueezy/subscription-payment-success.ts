import * as z from 'zod';
import { bridgeMetadata, commands, ignored, type CustomerLink } from '../types.js';
import { lsToDubUnits } from './amount.js';
import { customValue, lsCustomerExternalId } from './custom-data.js';
import { lsAmount, lsCurrency, lsId, lsMapper } from './envelope.js';

const invoiceSchema = z.object({
  subscription_id: lsId.nullish(),
  customer_id: lsId.nullish(),
  billing_reason: z.string().min(1),
  status: z.string().min(1),
  currency: lsCurrency,
  tax: lsAmount,
  total: lsAmount,
});

/** A later period (`renewal`) or a plan change billed now (`updated`). */
const LATER_PAYMENTS = new Set(['renewal', 'updated']);

/**
 * `subscription_payment_success`: every later payment of a subscription is a `Subscription renewal`
 * sale, invoiceId `ls_invoice_<id>`. The `initial` payment is ignored: its `order_created` already
 * is the sale. Custom data from the checkout travels with subscription events; otherwise the
 * customer is found through the link stored from the first order.
 */
export const subscriptionPaymentSuccess = lsMapper(invoiceSchema, (event, invoice, ctx) => {
  const merchantId = customValue(event.meta.custom_data, 'dubCustomerExternalId');
  const customerId = invoice.customer_id ?? undefined;
  const links: CustomerLink[] = merchantId && customerId ? [{ source: 'lemonsqueezy', providerCustomerId: customerId, externalId: merchantId }] : [];
  if (invoice.billing_reason === 'initial') return ignored('initial subscription payment: its order_created is the sale', links);
  if (!LATER_PAYMENTS.has(invoice.billing_reason)) return ignored(`billing_reason ${invoice.billing_reason} is not a renewal`, links);
  if (invoice.status !== 'paid') return ignored(`subscription invoice is ${invoice.status}, not paid`, links);
  const net = invoice.total - invoice.tax;
  if (net <= 0) return ignored('subscription invoice earned nothing before tax', links);

  const externalId = merchantId ?? (customerId ? ctx.linkedExternalId || lsCustomerExternalId(customerId) : undefined);
  if (!externalId) return ignored('subscription invoice names no customer (no customer_id or custom data)', links);

  const money = lsToDubUnits(net, invoice.currency);
  return commands(
    [
      {
        kind: 'sale',
        body: {
          customerExternalId: externalId,
          amount: money.amount,
          currency: money.currency,
          paymentProcessor: 'lemonsqueezy',
          eventName: 'Subscription renewal',
          invoiceId: `ls_invoice_${event.data.id}`,
          metadata: bridgeMetadata({
            lemonSqueezyInvoiceId: event.data.id,
            lemonSqueezySubscriptionId: invoice.subscription_id,
            lemonSqueezyCustomerId: customerId,
            lemonSqueezyBillingReason: invoice.billing_reason,
            lemonSqueezyWebhookId: event.meta.webhook_id,
            ...money.original,
          }),
        },
      },
    ],
    links,
  );
});
