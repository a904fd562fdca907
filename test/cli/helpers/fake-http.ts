import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a provider stand-in received, body parsed as JSON when it is JSON. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: any;
  headers: IncomingHttpHeaders;
}

/** What a handler answers: a status, a JSON body (none for 204) and extra headers. */
export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * A local HTTP server for a provider stand-in: records every request, hands it to `handle`, and
 * writes the answer as JSON with the given content type. `base` is its URL (what the CLI is
 * pointed at through `<PROVIDER>_API_BASE`).
 */
export async function startJsonServer(handle: (request: RecordedRequest, base: string) => Answer, contentType = 'application/json') {
  const requests: RecordedRequest[] = [];
  let base = '';
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', base);
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      headers: req.headers,
    };
    requests.push(request);
    const answer = handle(request, base);
    res.writeHead(answer.status, { ...(answer.status === 204 ? {} : { 'content-type': contentType }), ...answer.headers });
    res.end(answer.status === 204 || answer.body === undefined ? undefined : JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    /** Requests that change something (not listings). */
    writes: () => requests.filter((r) => r.method !== 'GET'),
    reset() {
      requests.length = 0;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
