import { checkoutSessionSchema, mapCheckoutSession } from './checkout-session-completed.js';
import { stripeMapper } from './envelope.js';

/**
 * `checkout.session.async_payment_succeeded`: the delayed payment (SEPA, ACH, Boleto) arrived, so
 * the session becomes a sale exactly as a paid `checkout.session.completed` would. Dub's own
 * Stripe app drops these.
 */
export const checkoutSessionAsyncPaymentSucceeded = stripeMapper(checkoutSessionSchema, (event, session, ctx) => mapCheckoutSession(event, session, ctx, true));
