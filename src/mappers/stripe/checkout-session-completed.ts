import * as z from 'zod';
import type { DubCommand } from '../../dub/commands.js';
import { bridgeMetadata, commands, ignored, type MapContext, type MapResult } from '../types.js';
import { compact, toDubAmount } from './amount.js';
import { clickIdOf, resolveCustomer, stripeMetadata } from './attribution.js';
import { stripeCurrency, stripeMapper, type StripeEvent } from './envelope.js';

/** The checkout session fields the session mappers read. */
export const checkoutSessionSchema = z.object({
  id: z.string().min(1),
  mode: z.string(),
  payment_status: z.string(),
  amount_total: z.number().int().nullable(),
  currency: stripeCurrency.nullable(),
  total_details: z.object({ amount_tax: z.number().int().nullish() }).nullish(),
  customer: z.string().nullish(),
  customer_details: z.object({ email: z.string().nullish(), name: z.string().nullish() }).nullish(),
  client_reference_id: z.string().nullish(),
  metadata: stripeMetadata,
  invoice: z.string().nullish(),
  payment_intent: z.string().nullish(),
  subscription: z.string().nullish(),
});
export type CheckoutSession = z.infer<typeof checkoutSessionSchema>;

/**
 * Shared by `completed` and `async_payment_succeeded`. `paymentConfirmed` is true when the event
 * itself means the money arrived (delayed methods such as SEPA, ACH, Boleto).
 */
export function mapCheckoutSession(event: StripeEvent, session: CheckoutSession, ctx: MapContext, paymentConfirmed: boolean): MapResult {
  const { externalId, links } = resolveCustomer(
    { metadata: [session.metadata], stripeCustomerId: session.customer, email: session.customer_details?.email },
    ctx,
  );
  if (session.mode === 'setup') return ignored('checkout session in setup mode collects no payment', links);
  if (!externalId) {
    return ignored('checkout session names no customer (no dubCustomerExternalId, Stripe customer or email)', links);
  }

  const clickId = clickIdOf(session.client_reference_id, [session.metadata]);
  // Tax is money for the state, not revenue the partner earns commission on.
  const netAmount = (session.amount_total ?? 0) - (session.total_details?.amount_tax ?? 0);
  const paid = paymentConfirmed || session.payment_status === 'paid' || session.payment_status === 'no_payment_required';
  const ids = {
    stripeEventId: event.id,
    stripeAccountId: event.account,
    stripeCheckoutSessionId: session.id,
    stripeCustomerId: session.customer,
    stripeSubscriptionId: session.subscription,
    stripePaymentIntentId: session.payment_intent,
    stripeInvoiceId: session.invoice,
  };
  const customerName = session.customer_details?.name ?? null;
  const customerEmail = session.customer_details?.email ?? null;

  if (paid && netAmount > 0 && session.currency) {
    const money = toDubAmount(netAmount, session.currency);
    const sale: DubCommand = {
      kind: 'sale',
      body: {
        customerExternalId: externalId,
        amount: money.amount,
        currency: money.currency,
        paymentProcessor: 'stripe',
        eventName: session.mode === 'subscription' ? 'Subscription creation' : 'Purchase',
        // A subscription's first invoice.paid carries this same invoice id: one sale in Dub.
        invoiceId: session.invoice ?? session.payment_intent ?? session.id,
        metadata: bridgeMetadata({ ...ids, ...money.original }),
        ...(clickId ? { clickId, leadEventName: 'Sign up', customerName, customerEmail } : {}),
      },
      refs: compact({
        paymentIntent: session.payment_intent,
        stripeInvoice: session.invoice,
        checkoutSession: session.id,
      }),
    };
    return commands([sale], links);
  }

  const why = paid ? 'checkout session amount is 0 (trial or 100% coupon)' : 'checkout session not paid yet';
  if (!clickId) return ignored(`${why} and no Dub click id`, links);
  const lead: DubCommand = {
    kind: 'lead',
    body: {
      clickId,
      eventName: 'Sign up',
      customerExternalId: externalId,
      customerName,
      customerEmail,
      metadata: bridgeMetadata(ids),
    },
  };
  return commands([lead], links);
}

/** `checkout.session.completed`: a sale when paid, else a lead when a click is known. */
export const checkoutSessionCompleted = stripeMapper(checkoutSessionSchema, (event, session, ctx) => mapCheckoutSession(event, session, ctx, false));
