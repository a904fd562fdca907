import type { CustomerBody, LeadBody, SaleBody } from './commands.js';
import { fetchTransport, type HttpAnswer, type HttpTransport } from './transport.js';

/** What came back from Dub, whatever the status; the dispatcher decides what it means. */
export interface DubResponse {
  status: number;
  body: unknown;
  /** From `Retry-After` or `X-RateLimit-Reset` (seconds, HTTP date, or Dub's millisecond epoch). */
  retryAfterMs: number | null;
}

/** The request never got an HTTP answer: the connection failed or the timeout passed. */
export class DubTransportError extends Error {
  override readonly name = 'DubTransportError';
  constructor(
    readonly kind: 'network' | 'timeout',
    message: string,
  ) {
    super(message);
  }
}

export interface DubClientOptions {
  apiUrl: string;
  apiKey: string;
  timeoutMs: number;
  /** How calls are sent; `fetch` when absent (Node passes a faster one). */
  transport?: HttpTransport;
  now?: () => number;
}

export interface Commission {
  id: string;
  status: string;
  amount?: number;
  earnings?: number;
  invoiceId?: string | null;
}

/** A small typed client for the Dub endpoints the bridge uses. Bodies are validated upstream. */
export function createDubClient(options: DubClientOptions) {
  const send = options.transport ?? fetchTransport();
  const now = options.now ?? Date.now;
  const base = options.apiUrl.replace(/\/+$/, '');
  const headers = {
    authorization: `Bearer ${options.apiKey}`,
    'content-type': 'application/json',
    'user-agent': 'dub-bridge',
  };

  async function call(method: string, path: string, body?: unknown): Promise<DubResponse> {
    let answer: HttpAnswer;
    try {
      answer = await send({
        method,
        url: `${base}${path}`,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        timeoutMs: options.timeoutMs,
      });
    } catch (error) {
      throw toTransportError(error, options.timeoutMs);
    }
    return { status: answer.status, body: parseJson(answer.text), retryAfterMs: retryAfterMs(answer.headers, now()) };
  }

  return {
    trackLead: (body: LeadBody) => call('POST', '/track/lead', body),
    trackSale: (body: SaleBody) => call('POST', '/track/sale', body),
    updateCustomer: (externalId: string, body: CustomerBody) => call('PATCH', `/customers/ext_${encodeURIComponent(externalId)}`, body),
    listCommissions: (invoiceId: string) => call('GET', `/commissions?invoiceId=${encodeURIComponent(invoiceId)}`),
    updateCommission: (id: string, body: { status: 'refunded' } | { modifySaleAmount: number; currency: string }) =>
      call('PATCH', `/commissions/${encodeURIComponent(id)}`, body),
    /** A cheap authenticated call to check the key (for `doctor`). */
    checkKey: () => call('GET', '/links/count'),
  };
}

export type DubClient = ReturnType<typeof createDubClient>;

function toTransportError(error: unknown, timeoutMs: number): DubTransportError {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new DubTransportError('timeout', `Dub did not answer within ${timeoutMs} ms`);
  }
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return new DubTransportError('network', `${error instanceof Error ? error.message : String(error)}${cause}`);
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text.slice(0, 500);
  }
}

/**
 * Reads a retry delay. Dub sends a millisecond epoch in `Retry-After` / `X-RateLimit-Reset`;
 * the HTTP standard says seconds or an HTTP date. Numbers above 10^11 are epochs (ms), above 10^9
 * epochs (s), anything smaller is a delay in seconds.
 */
export function retryAfterMs(headers: HttpAnswer['headers'], now: number): number | null {
  for (const name of ['retry-after', 'x-ratelimit-reset']) {
    const raw = headers.get(name)?.trim();
    if (!raw) continue;
    if (/^\d+(\.\d+)?$/.test(raw)) {
      const value = Number(raw);
      if (value > 1e11) return Math.max(0, value - now);
      if (value > 1e9) return Math.max(0, value * 1000 - now);
      return Math.round(value * 1000);
    }
    const date = Date.parse(raw);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return null;
}
