import Stripe from 'stripe';

/**
 * Which Stripe invoice a payment intent paid, or null when it paid none. Needed from API version
 * 2025-03-31 on, where charges carry no invoice and invoices carry no payment intent. `account`:
 * the connected account the event came from (Stripe Connect), if any.
 */
export type InvoiceForPayment = (paymentIntent: string, account?: string) => Promise<string | null>;

export interface StripeInvoiceLookupOptions {
  /** `sk_…` or a restricted `rk_…` key that may read invoices. */
  apiKey: string;
  /** Where Stripe's API is: https://api.stripe.com, or a local stand-in in tests. */
  apiBase: string;
  timeoutMs: number;
  fetch?: typeof fetch | undefined;
}

/**
 * Asks Stripe's invoice payments API (`GET /v1/invoice_payments?payment[type]=payment_intent`).
 * Uses the SDK's fetch client so it runs on Node and Workers alike. Throws Stripe's errors: the
 * caller decides whether to retry.
 */
export function createStripeInvoiceLookup(options: StripeInvoiceLookupOptions): InvoiceForPayment {
  const base = new URL(options.apiBase);
  const stripe = new Stripe(options.apiKey, {
    httpClient: Stripe.createFetchHttpClient(options.fetch),
    timeout: options.timeoutMs,
    maxNetworkRetries: 1,
    protocol: base.protocol === 'http:' ? 'http' : 'https',
    host: base.hostname,
    ...(base.port ? { port: base.port } : {}),
  });

  return async (paymentIntent, account) => {
    const payments = await stripe.invoicePayments.list(
      { payment: { type: 'payment_intent', payment_intent: paymentIntent }, limit: 10 },
      account ? { stripeAccount: account } : undefined,
    );
    // A payment intent normally pays one invoice; prefer the payment that went through.
    const chosen = payments.data.find((payment) => payment.status === 'paid') ?? payments.data[0];
    if (!chosen) return null;
    return typeof chosen.invoice === 'string' ? chosen.invoice : (chosen.invoice.id ?? null);
  };
}
