import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Stripe's `/v1/webhook_endpoints` (list, create, update, delete) that reads
 * form-encoded bodies the way Stripe does (`enabled_events[0]=…`) and records every request.
 */
export interface FakeEndpoint {
  id: string;
  object: 'webhook_endpoint';
  url: string;
  enabled_events: string[];
  description: string | null;
  status: 'enabled' | 'disabled';
  livemode: boolean;
  api_version: string | null;
  application: null;
  created: number;
  metadata: Record<string, string>;
}

export interface StripeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  form: Record<string, string | string[]>;
  authorization: string | undefined;
}

/** `a[0]=x&a[1]=y&b=z` -> `{a: ['x', 'y'], b: 'z'}` (what stripe-node sends for arrays). */
function parseForm(text: string): Record<string, string | string[]> {
  const form: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const array = /^(.+)\[(\d+)\]$/.exec(key);
    if (array) ((form[array[1]!] ??= []) as string[])[Number(array[2])] = value;
    else form[key] = value;
  }
  return form;
}

export async function startFakeStripe(apiKey = 'sk_test_cli_0123456789') {
  const endpoints = new Map<string, FakeEndpoint>();
  const requests: StripeRequest[] = [];
  let next = 1;

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${next}` });
    res.end(JSON.stringify(body));
  };
  const notFound = (res: ServerResponse, id: string) =>
    send(res, 404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such webhook endpoint: '${id}'` } });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://stripe.local');
    const request: StripeRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      form: parseForm(Buffer.concat(chunks).toString('utf8')),
      authorization: req.headers.authorization,
    };
    requests.push(request);
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      return send(res, 401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided: sk_***' } });
    }
    const match = /^\/v1\/webhook_endpoints(?:\/([^/]+))?$/.exec(url.pathname);
    if (!match) return send(res, 404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${request.method}: ${url.pathname})` } });
    const id = match[1];
    const { form } = request;

    if (!id && request.method === 'GET') {
      const all = [...endpoints.values()];
      const limit = Number(request.query.limit ?? 10);
      const start = request.query.starting_after ? all.findIndex((e) => e.id === request.query.starting_after) + 1 : 0;
      const page = all.slice(start, start + limit);
      return send(res, 200, { object: 'list', url: '/v1/webhook_endpoints', has_more: start + limit < all.length, data: page });
    }
    if (!id && request.method === 'POST') {
      if (typeof form.url !== 'string' || !Array.isArray(form.enabled_events)) {
        return send(res, 400, { error: { type: 'invalid_request_error', message: 'Missing required param: url or enabled_events.' } });
      }
      const endpoint: FakeEndpoint = {
        id: `we_fake${next++}`,
        object: 'webhook_endpoint',
        url: form.url,
        enabled_events: form.enabled_events,
        description: typeof form.description === 'string' ? form.description : null,
        status: 'enabled',
        livemode: false,
        api_version: null,
        application: null,
        created: Math.floor(Date.now() / 1000),
        metadata: {},
      };
      endpoints.set(endpoint.id, endpoint);
      return send(res, 200, { ...endpoint, secret: `whsec_fakesecret${endpoint.id}` });
    }
    const endpoint = id ? endpoints.get(id) : undefined;
    if (!id || !endpoint) return notFound(res, id ?? '');
    if (request.method === 'POST') {
      if (Array.isArray(form.enabled_events)) endpoint.enabled_events = form.enabled_events;
      if (typeof form.url === 'string') endpoint.url = form.url;
      if (form.disabled !== undefined) endpoint.status = form.disabled === 'true' ? 'disabled' : 'enabled';
      return send(res, 200, endpoint);
    }
    if (request.method === 'DELETE') {
      endpoints.delete(id);
      return send(res, 200, { id, object: 'webhook_endpoint', deleted: true });
    }
    return notFound(res, id);
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    endpoints,
    requests,
    /** Requests other than listings: what changed something. */
    writes: () => requests.filter((r) => r.method !== 'GET'),
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FakeStripe = Awaited<ReturnType<typeof startFakeStripe>>;
