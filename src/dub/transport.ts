/** One HTTP call to Dub, as the client builds it. */
export interface HttpCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

/** Dub's answer, read in full. */
export interface HttpAnswer {
  status: number;
  headers: { get(name: string): string | null };
  text: string;
}

/**
 * Sends one call and reads the whole answer. Rejects when there is no HTTP answer: with an error
 * named `TimeoutError` once `timeoutMs` passed, any other error for a failed connection.
 */
export type HttpTransport = (call: HttpCall) => Promise<HttpAnswer>;

/** The transport on every runtime with `fetch` (Workers, and Node when nothing faster is given). */
export function fetchTransport(doFetch: typeof fetch = fetch): HttpTransport {
  return async ({ method, url, headers, body, timeoutMs }) => {
    const response = await doFetch(url, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
}
