import type { DubClient, DubResponse } from '../dub/client.js';
import type { RefundStore } from '../db/store.js';
import type { SaleLookup } from '../handlers/provider.js';
import { failed, type DeliveryOutcome } from './outcome.js';

/** Dub's error body `{error: {code, message}}`, shortened for storage. */
export function describeResponse(response: DubResponse): string {
  const body = response.body as { error?: { code?: string; message?: string } } | null;
  if (body && typeof body === 'object' && body.error) {
    return `${response.status} ${body.error.code ?? ''}: ${body.error.message ?? ''}`.trim();
  }
  return `${response.status} ${typeof body === 'string' ? body : JSON.stringify(body)}`.slice(0, 500);
}

/** A non-2xx answer from Dub as a delivery failure; the dispatcher decides whether it is retried. */
export function httpFailure(response: DubResponse): DeliveryOutcome {
  return failed({
    kind: 'http',
    status: response.status,
    message: describeResponse(response),
    retryAfterMs: response.retryAfterMs,
  });
}

/** What running one command needs: the Dub client of its tenant, the store, and its provider's sale lookup. */
export interface ExecuteDeps {
  client: DubClient;
  store: RefundStore;
  now?: () => number;
  /** The row's provider's SaleLookup, if it has one (Stripe with STRIPE_API_KEY): finds a refund's sale through its API. */
  findInvoiceForPayment?: SaleLookup | undefined;
  /** The provider's advice when a refund's sale is not found and no lookup is configured. */
  saleLookupHint?: string | undefined;
  /** The row's tenant: its refunds find only that tenant's sales ('' or absent = the env settings). */
  tenant?: string | null;
  /** Names this dispatcher to the refund ledger (one per process or Worker invocation). */
  runnerId?: string;
  /** How long a refund being applied is reserved for its runner (LEASE_MS). */
  refundLeaseMs?: number;
}
