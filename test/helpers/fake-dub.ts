import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { z } from 'zod';

/**
 * A local stand-in for Dub's API that records every request and checks bodies against Dub's
 * documented request schemas (written here independently of the bridge's own). Faults can be
 * scripted per route: a status, a delay, a dropped connection.
 */
const leadSchema = z
  .object({
    clickId: z.string().min(1),
    eventName: z.string().min(1),
    customerExternalId: z.string().min(1),
    customerName: z.string().nullish(),
    customerEmail: z.string().nullish(),
    customerAvatar: z.string().nullish(),
    metadata: z.record(z.string(), z.unknown()).nullish(),
  })
  .strict();

const saleSchema = z
  .object({
    customerExternalId: z.string().min(1),
    amount: z.number().int().min(0),
    currency: z.string().regex(/^[a-z]{3}$/),
    paymentProcessor: z.enum(['stripe', 'shopify', 'polar', 'paddle', 'lemonsqueezy', 'revenuecat', 'apple', 'dub', 'custom']),
    eventName: z.string().min(1),
    invoiceId: z.string().nullish(),
    metadata: z.record(z.string(), z.unknown()).nullish(),
    clickId: z.string().nullish(),
    leadEventName: z.string().nullish(),
    customerName: z.string().nullish(),
    customerEmail: z.string().nullish(),
    customerAvatar: z.string().nullish(),
  })
  .strict();

const customerSchema = z
  .object({
    name: z.string().nullish(),
    email: z.string().nullish(),
    avatar: z.string().nullish(),
    stripeCustomerId: z.string().nullish(),
  })
  .strict();

const commissionPatchSchema = z
  .object({
    status: z.enum(['pending', 'refunded', 'duplicate', 'canceled', 'fraud']).optional(),
    modifySaleAmount: z.number().int().optional(),
    saleAmount: z.number().int().optional(),
    currency: z.string().optional(),
  })
  .strict();

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  at: number;
  /** The status Dub answered (even if the caller had gone); unset while unanswered or when dropped. */
  status?: number;
}

/** A scripted answer for the next request(s) to a route. */
export interface Fault {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
  /** Destroy the socket without answering. */
  reset?: boolean;
  /** Never answer (until the server closes). */
  hang?: boolean;
  /** Carry out the request, then drop the connection: Dub acted but its answer was lost (commission PATCH). */
  applyThenDrop?: boolean;
}

export interface FakeCommission {
  id: string;
  invoiceId: string;
  status: string;
  amount: number;
  currency: string;
}

export interface FakeDubOptions {
  apiKey?: string;
  /** More keys accepted besides `apiKey`: several Dub workspaces (tenants) behind one fake. */
  otherApiKeys?: string[];
  /** Delay before every answer, like a network round trip to the real Dub. */
  latencyMs?: number;
  /** Requests allowed per window before 429 (0 = unlimited). */
  rateLimit?: number;
  rateWindowMs?: number;
}

export async function startFakeDub(options: FakeDubOptions = {}) {
  const apiKey = options.apiKey ?? 'dub_test_key_0123456789';
  const requests: RecordedRequest[] = [];
  const faults = new Map<string, Fault[]>();
  const knownCustomers = new Set<string>();
  const sales = new Map<string, { customerExternalId: string; amount: number }>();
  const commissions = new Map<string, FakeCommission>();
  const sockets = new Set<Socket>();
  let windowStart = Date.now();
  let windowCount = 0;
  let rejected429 = 0;
  let acceptedKey = apiKey;

  const answered = new WeakMap<ServerResponse, RecordedRequest>();
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const recorded = answered.get(res);
    if (recorded) recorded.status = status;
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, code: string, message: string, headers?: Record<string, string>) =>
    send(res, status, { error: { code, message, doc_url: 'https://dub.co/docs/api-reference/errors' } }, headers);

  function route(method: string, path: string) {
    if (method === 'POST' && path === '/track/lead') return 'lead';
    if (method === 'POST' && path === '/track/sale') return 'sale';
    if (method === 'PATCH' && path.startsWith('/customers/ext_')) return 'customer';
    if (method === 'GET' && path === '/commissions') return 'commissions';
    if (method === 'PATCH' && path.startsWith('/commissions/')) return 'commission';
    if (method === 'GET' && path === '/links/count') return 'links-count';
    return 'unknown';
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake-dub');
    const text = Buffer.concat(chunks).toString('utf8');
    let body: any = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      at: Date.now(),
    };
    requests.push(recorded);
    answered.set(res, recorded);
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    const name = route(recorded.method, recorded.path);

    const fault = faults.get(name)?.shift() ?? faults.get('*')?.shift();
    if (fault) {
      if (fault.reset) return req.socket.destroy();
      if (fault.hang) return;
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault.status) return send(res, fault.status, fault.body ?? { error: { code: 'fault', message: 'scripted' } }, fault.headers);
    }
    const keys = [acceptedKey, ...(options.otherApiKeys ?? [])];
    if (!keys.some((key) => req.headers.authorization === `Bearer ${key}`)) return error(res, 401, 'unauthorized', 'Invalid API key.');
    if (options.rateLimit) {
      const windowMs = options.rateWindowMs ?? 60_000;
      if (Date.now() - windowStart >= windowMs) {
        windowStart = Date.now();
        windowCount = 0;
      }
      if (++windowCount > options.rateLimit) {
        rejected429++;
        const reset = String(windowStart + windowMs);
        return error(res, 429, 'rate_limit_exceeded', 'Too many requests.', { 'retry-after': reset, 'x-ratelimit-reset': reset });
      }
    }

    switch (name) {
      case 'lead': {
        const parsed = leadSchema.safeParse(body);
        if (!parsed.success) return error(res, 422, 'unprocessable_entity', parsed.error.message);
        knownCustomers.add(parsed.data.customerExternalId);
        return send(res, 200, { click: { id: parsed.data.clickId }, customer: { externalId: parsed.data.customerExternalId } });
      }
      case 'sale': {
        const parsed = saleSchema.safeParse(body);
        if (!parsed.success) return error(res, 422, 'unprocessable_entity', parsed.error.message);
        const sale = parsed.data;
        if (sale.clickId) knownCustomers.add(sale.customerExternalId);
        if (!knownCustomers.has(sale.customerExternalId)) return send(res, 200, { eventName: sale.eventName, customer: null, sale: null });
        const invoiceId = sale.invoiceId ?? `inv_${requests.length}`;
        if (!sales.has(invoiceId)) {
          sales.set(invoiceId, { customerExternalId: sale.customerExternalId, amount: sale.amount });
          const id = `cm_${commissions.size + 1}`;
          commissions.set(id, { id, invoiceId, status: 'pending', amount: sale.amount, currency: sale.currency });
        }
        return send(res, 200, {
          eventName: sale.eventName,
          customer: { id: `cus_dub_${sale.customerExternalId}`, externalId: sale.customerExternalId },
          sale: { amount: sale.amount, currency: sale.currency, invoiceId, paymentProcessor: sale.paymentProcessor },
        });
      }
      case 'customer': {
        const parsed = customerSchema.safeParse(body);
        if (!parsed.success) return error(res, 422, 'unprocessable_entity', parsed.error.message);
        const externalId = decodeURIComponent(recorded.path.slice('/customers/ext_'.length));
        if (!knownCustomers.has(externalId)) return error(res, 404, 'not_found', 'Customer not found.');
        return send(res, 200, { id: `cus_dub_${externalId}`, externalId, ...parsed.data });
      }
      case 'commissions':
        return send(
          res,
          200,
          [...commissions.values()].filter((c) => c.invoiceId === recorded.query.invoiceId),
        );
      case 'commission': {
        const parsed = commissionPatchSchema.safeParse(body);
        if (!parsed.success) return error(res, 422, 'unprocessable_entity', parsed.error.message);
        const commission = commissions.get(decodeURIComponent(recorded.path.slice('/commissions/'.length)));
        if (!commission) return error(res, 404, 'not_found', 'Commission not found.');
        if (commission.status === 'paid') return error(res, 400, 'bad_request', 'Paid commissions cannot be updated.');
        // Like Dub: the same status again is refused; a sale amount reaching 0 marks it refunded.
        if (parsed.data.status === commission.status) {
          return error(res, 400, 'bad_request', `This commission is already in the ${commission.status} status.`);
        }
        if (parsed.data.status) commission.status = parsed.data.status;
        else if (parsed.data.modifySaleAmount) {
          const amount = commission.amount + parsed.data.modifySaleAmount;
          if (amount <= 0) commission.status = 'refunded';
          else commission.amount = amount;
        }
        if (fault?.applyThenDrop) return req.socket.destroy();
        return send(res, 200, commission);
      }
      case 'links-count':
        return send(res, 200, 0);
      default:
        return error(res, 404, 'not_found', `no route ${recorded.method} ${recorded.path}`);
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: Error) => {
      if (!res.headersSent) error(res, 500, 'internal_server_error', e.message);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    /** Requests to one route, e.g. `calls('POST', '/track/sale')`. */
    calls: (method: string, path: string) => requests.filter((r) => r.method === method && r.path.startsWith(path)),
    /** Scripts the next answers of a route ('sale', 'lead', 'customer', 'commissions', 'commission' or '*'). */
    fail(routeName: string, ...next: Fault[]) {
      faults.set(routeName, [...(faults.get(routeName) ?? []), ...next]);
    },
    knowCustomer: (externalId: string) => knownCustomers.add(externalId),
    commissions,
    /** The commission Dub keeps for a sale's invoiceId (one per invoice). */
    commissionFor: (invoiceId: string) => [...commissions.values()].find((c) => c.invoiceId === invoiceId),
    sales,
    setAcceptedKey: (key: string) => {
      acceptedKey = key;
    },
    get rejected429() {
      return rejected429;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FakeDub = Awaited<ReturnType<typeof startFakeDub>>;
