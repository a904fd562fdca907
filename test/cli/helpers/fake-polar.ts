import { type Answer, type RecordedRequest, startJsonServer } from './fake-http.js';

/**
 * A local stand-in for Polar's webhook endpoints API (`/v1/webhooks/endpoints`: paged list, create,
 * update, delete), shaped like Polar's OpenAPI schema: `{items, pagination: {total_count,
 * max_page}}` lists, the endpoint with its `secret`, 422 `{detail: [{loc, msg, type}]}` for a bad
 * body and 401 `{error, detail}` for a token it does not know.
 */
export interface FakeEndpoint {
  id: string;
  created_at: string;
  modified_at: string | null;
  url: string;
  format: 'raw' | 'discord' | 'slack';
  secret: string;
  organization_id: string;
  events: string[];
  enabled: boolean;
}

/** Webhook event types Polar knows (a subset; enough to refuse a misspelt one with 422). */
const KNOWN_EVENTS = [
  'checkout.created',
  'checkout.updated',
  'checkout.expired',
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'customer.state_changed',
  'order.created',
  'order.updated',
  'order.paid',
  'order.refunded',
  'refund.created',
  'refund.updated',
  'subscription.created',
  'subscription.updated',
  'subscription.active',
  'subscription.canceled',
  'subscription.revoked',
  'product.created',
  'product.updated',
  'benefit.created',
  'benefit_grant.created',
];
export const POLAR_ORGANIZATION = '00000000-0000-4000-8000-0000000000a1';
const PAGE_SIZE = 2;

const invalid = (loc: (string | number)[], msg: string): Answer => ({ status: 422, body: { detail: [{ loc: ['body', ...loc], msg, type: 'value_error' }] } });

/** `secretPrefix`: what Polar puts before its secrets (`whsec_`; some accounts show `polar_whs_`). */
export async function startFakePolar(token = 'polar_oat_testonlyfakepolartoken0000000000000001', secretPrefix = 'whsec_') {
  const endpoints = new Map<string, FakeEndpoint>();
  let next = 1;
  const idFor = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const secretFor = (n: number) => `${secretPrefix}TestOnlyFakePolarEndpointSecret${String(n).padStart(10, '0')}`;

  const eventProblem = (events: unknown): Answer | null => {
    if (!Array.isArray(events)) return invalid(['events'], 'Input should be a valid list');
    const bad = events.findIndex((e) => !KNOWN_EVENTS.includes(e));
    return bad >= 0 ? invalid(['events', bad], `Input should be one of ${KNOWN_EVENTS.map((e) => `'${e}'`).join(', ')}`) : null;
  };

  function handle(request: RecordedRequest): Answer {
    if (request.headers.authorization !== `Bearer ${token}`) return { status: 401, body: { error: 'Unauthorized', detail: 'Unauthorized' } };
    const match = /^\/v1\/webhooks\/endpoints(?:\/([^/]+))?\/?$/.exec(request.path);
    if (!match) return { status: 404, body: { error: 'ResourceNotFound', detail: 'Not found' } };
    const id = match[1];
    const { body } = request;

    if (!id && request.method === 'GET') {
      const org = request.query.organization_id;
      const all = [...endpoints.values()].filter((e) => !org || e.organization_id === org);
      const limit = Math.min(Number(request.query.limit ?? 10), PAGE_SIZE);
      const page = Number(request.query.page ?? 1);
      const items = all.slice((page - 1) * limit, page * limit);
      return { status: 200, body: { items, pagination: { total_count: all.length, max_page: Math.max(1, Math.ceil(all.length / limit)) } } };
    }
    if (!id && request.method === 'POST') {
      if (typeof body?.url !== 'string') return invalid(['url'], 'Field required');
      if (!['raw', 'discord', 'slack'].includes(body?.format)) return invalid(['format'], "Input should be 'raw', 'discord' or 'slack'");
      const problem = eventProblem(body.events);
      if (problem) return problem;
      const n = next++;
      const now = new Date().toISOString();
      const endpoint: FakeEndpoint = {
        id: idFor(n),
        created_at: now,
        modified_at: null,
        url: body.url,
        format: body.format,
        secret: secretFor(n),
        organization_id: body.organization_id ?? POLAR_ORGANIZATION,
        events: body.events,
        enabled: true,
      };
      endpoints.set(endpoint.id, endpoint);
      return { status: 201, body: endpoint };
    }
    const endpoint = id ? endpoints.get(id) : undefined;
    if (!endpoint) return { status: 404, body: { error: 'ResourceNotFound', detail: 'Not found' } };
    if (request.method === 'PATCH') {
      if (body?.events !== undefined) {
        const problem = eventProblem(body.events);
        if (problem) return problem;
        endpoint.events = body.events;
      }
      if (typeof body?.format === 'string') endpoint.format = body.format;
      if (typeof body?.enabled === 'boolean') endpoint.enabled = body.enabled;
      if (typeof body?.url === 'string') endpoint.url = body.url;
      endpoint.modified_at = new Date().toISOString();
      return { status: 200, body: endpoint };
    }
    if (request.method === 'DELETE') {
      endpoints.delete(endpoint.id);
      return { status: 204 };
    }
    return { status: 200, body: endpoint };
  }

  const server = await startJsonServer(handle);
  return {
    ...server,
    token,
    endpoints,
    /** An endpoint already in the organization. */
    add(fields: Partial<FakeEndpoint> & { url: string; events: string[] }) {
      const n = next++;
      const e: FakeEndpoint = {
        id: idFor(n),
        created_at: '2026-01-01T00:00:00Z',
        modified_at: null,
        format: 'raw',
        secret: secretFor(n),
        organization_id: POLAR_ORGANIZATION,
        enabled: true,
        ...fields,
      };
      endpoints.set(e.id, e);
      return e;
    },
  };
}

export type FakePolar = Awaited<ReturnType<typeof startFakePolar>>;
