import type { RefundBody } from '../../dub/commands.js';
import type { SaleLookup, SaleLookupDeps } from '../provider.js';

interface InvoicePaymentList {
  data?: Array<{ status?: string; invoice?: string | { id?: string } | null }>;
}

/**
 * Which Stripe invoice a refund's payment intent paid (`GET /v1/invoice_payments`), for API
 * versions 2025-03-31 and newer, where charges carry no invoice and invoices no payment intent.
 * Plain `fetch`, so it runs on Node and Workers without the SDK. Throws on Stripe's errors: the
 * dispatcher retries. Absent without STRIPE_API_KEY.
 */
export function createStripeSaleLookup(settings: Record<string, unknown>, deps: SaleLookupDeps): SaleLookup | undefined {
  const apiKey = settings.STRIPE_API_KEY as string | undefined;
  if (!apiKey) return undefined;
  const base = String(settings.STRIPE_API_BASE ?? 'https://api.stripe.com').replace(/\/$/, '');
  const fetchFn = deps.fetch ?? fetch;

  return async (body: RefundBody) => {
    const paymentIntent = body.refs.paymentIntent;
    if (!paymentIntent) return null;
    const query = new URLSearchParams({ 'payment[type]': 'payment_intent', 'payment[payment_intent]': paymentIntent, limit: '10' });
    const account = body.metadata?.stripeAccountId;
    const headers: Record<string, string> = { authorization: `Bearer ${apiKey}` };
    if (typeof account === 'string') headers['stripe-account'] = account;
    const response = await fetchFn(`${base}/v1/invoice_payments?${query}`, { headers, signal: AbortSignal.timeout(deps.timeoutMs) });
    const json = (await response.json().catch(() => null)) as (InvoicePaymentList & { error?: { message?: string } }) | null;
    if (!response.ok) throw new Error(`Stripe invoice payments lookup for ${paymentIntent} failed: ${response.status} ${json?.error?.message ?? ''}`.trim());
    // A payment intent normally pays one invoice; prefer the payment that went through.
    const chosen = json?.data?.find((payment) => payment.status === 'paid') ?? json?.data?.[0];
    const invoice = typeof chosen?.invoice === 'string' ? chosen.invoice : (chosen?.invoice?.id ?? null);
    return invoice ? { invoiceId: invoice, refs: { stripeInvoice: invoice } } : null;
  };
}
