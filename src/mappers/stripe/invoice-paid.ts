import * as z from 'zod';
import type { DubCommand } from '../../dub/commands.js';
import { bridgeMetadata, commands, ignored } from '../types.js';
import { compact, toDubAmount } from './amount.js';
import { clickIdOf, resolveCustomer, stripeMetadata } from './attribution.js';
import { stripeCurrency, stripeMapper } from './envelope.js';

const subscriptionDetails = z.object({ metadata: stripeMetadata, subscription: z.string().nullish() }).nullish();

const invoicePayment = z.object({
  status: z.string().nullish(),
  payment: z.object({ payment_intent: z.string().nullish(), charge: z.string().nullish() }).nullish(),
});

/** Invoice fields across API versions: 2025-03-31 moved subscription and payment ids elsewhere. */
const invoiceSchema = z.object({
  id: z.string().min(1),
  customer: z.string().nullish(),
  customer_email: z.string().nullish(),
  customer_name: z.string().nullish(),
  currency: stripeCurrency,
  amount_paid: z.number().int(),
  total: z.number().int(),
  total_excluding_tax: z.number().int().nullish(),
  billing_reason: z.string().nullish(),
  metadata: stripeMetadata,
  parent: z.object({ subscription_details: subscriptionDetails }).nullish(),
  payments: z.object({ data: z.array(invoicePayment) }).nullish(),
  // Older API versions:
  subscription: z.string().nullish(),
  subscription_details: subscriptionDetails,
  payment_intent: z.string().nullish(),
  charge: z.string().nullish(),
});
type Invoice = z.infer<typeof invoiceSchema>;

/** The payment that settled the invoice (newer API versions list them under `payments`). */
function settlingPayment(invoice: Invoice): { paymentIntent?: string; charge?: string } {
  const payments = (invoice.payments?.data ?? []).flatMap((entry) => (entry.payment ? [entry] : []));
  const chosen = payments.find((entry) => entry.status === 'paid') ?? payments[0];
  return compact({
    paymentIntent: invoice.payment_intent ?? chosen?.payment?.payment_intent,
    charge: invoice.charge ?? chosen?.payment?.charge,
  });
}

/**
 * `invoice.paid`: every paid invoice (first and renewals) is a sale. Renewals usually carry only
 * `cus_…`, so the pipeline's customer link supplies the merchant's id.
 */
export const invoicePaid = stripeMapper(invoiceSchema, (event, invoice, ctx) => {
  const subscriptionId = invoice.subscription ?? invoice.parent?.subscription_details?.subscription;
  // Invoice metadata first; the subscription's metadata may sit on either (old or new API).
  const metadata = [invoice.metadata, invoice.parent?.subscription_details?.metadata, invoice.subscription_details?.metadata];
  const { externalId, links, attributed } = resolveCustomer({ metadata, stripeCustomerId: invoice.customer, email: invoice.customer_email }, ctx);
  if (invoice.amount_paid <= 0) return ignored('invoice paid nothing (amount_paid 0: trial, coupon or credit)', links);

  // Paid in full: revenue without tax, like a checkout sale. Partly paid: only what was paid.
  const paidInFull = invoice.amount_paid === invoice.total;
  const netAmount = paidInFull ? (invoice.total_excluding_tax ?? invoice.amount_paid) : invoice.amount_paid;
  if (netAmount <= 0) return ignored('invoice paid only tax', links);
  if (!externalId) {
    return ignored('invoice names no customer (no dubCustomerExternalId, Stripe customer or email)', links);
  }

  const payment = settlingPayment(invoice);
  const money = toDubAmount(netAmount, invoice.currency);
  const clickId = clickIdOf(null, metadata);
  const sale: DubCommand = {
    kind: 'sale',
    body: {
      customerExternalId: externalId,
      amount: money.amount,
      currency: money.currency,
      paymentProcessor: 'stripe',
      eventName: 'Invoice paid',
      invoiceId: invoice.id,
      metadata: bridgeMetadata({
        stripeEventId: event.id,
        stripeAccountId: event.account,
        stripeInvoiceId: invoice.id,
        stripeCustomerId: invoice.customer,
        stripeSubscriptionId: subscriptionId,
        stripePaymentIntentId: payment.paymentIntent,
        stripeChargeId: payment.charge,
        stripeBillingReason: invoice.billing_reason,
        ...money.original,
      }),
      ...(clickId
        ? {
            clickId,
            leadEventName: 'Sign up',
            customerName: invoice.customer_name ?? null,
            customerEmail: invoice.customer_email ?? null,
          }
        : {}),
    },
    refs: { ...payment, stripeInvoice: invoice.id },
    // Stripe may send a subscription's first invoice before its checkout session, which carries
    // the merchant's id and the click: let that richer sale replace this one while it waits.
    ...(invoice.billing_reason === 'subscription_create' && !attributed && !clickId ? { provisional: true } : {}),
  };
  return commands([sale], links);
});
