import { type Answer, type RecordedRequest, startJsonServer } from './fake-http.js';

/**
 * A local stand-in for Paddle Billing's notification settings API (list with `after` pagination,
 * create, update, delete), shaped like developer.paddle.com's reference: `{data, meta}` answers,
 * event types returned as objects, `{error: {type, code, detail}}` failures, 403 `invalid_token`
 * for a key it does not know (what Paddle answers for a wrong or revoked API key).
 */
export interface FakeDestination {
  id: string;
  description: string;
  type: 'url' | 'email';
  destination: string;
  active: boolean;
  api_version: number;
  include_sensitive_fields: boolean;
  traffic_source: 'platform' | 'simulation' | 'all';
  subscribed_events: { name: string; description: string; group: string; available_versions: number[] }[];
  endpoint_secret_key: string;
}

/** Event types Paddle knows (a subset of its event type list; enough to refuse a misspelt one). */
const KNOWN_EVENTS = [
  'transaction.created',
  'transaction.ready',
  'transaction.billed',
  'transaction.paid',
  'transaction.completed',
  'transaction.canceled',
  'transaction.past_due',
  'transaction.payment_failed',
  'transaction.updated',
  'customer.created',
  'customer.updated',
  'customer.imported',
  'adjustment.created',
  'adjustment.updated',
  'subscription.created',
  'subscription.activated',
  'subscription.updated',
  'subscription.canceled',
  'subscription.paused',
  'subscription.resumed',
  'subscription.past_due',
  'subscription.trialing',
  'address.created',
  'address.updated',
  'business.created',
  'business.updated',
];

/** Paddle returns at most this many per page here (200 for real), so the CLI's paging is exercised. */
const PAGE_SIZE = 2;

const eventObject = (name: string) => ({ name, description: `${name} (test)`, group: name.split('.')[0]!, available_versions: [1] });
const error = (status: number, code: string, detail: string): Answer => ({
  status,
  body: {
    error: { type: 'request_error', code, detail, documentation_url: `https://developer.paddle.com/errors/shared/${code}` },
    meta: { request_id: 'req_fake' },
  },
});

export async function startFakePaddle(apiKey = 'pdl_sdbx_apikey_01testfakepaddlekey000000000_testonly') {
  const destinations = new Map<string, FakeDestination>();
  let next = 1;
  const idFor = (n: number) => `ntfset_01hzfake${String(n).padStart(18, '0')}`;
  const meta = { request_id: 'req_fake' };

  const badEvents = (events: unknown) =>
    !Array.isArray(events) || events.length === 0 || events.some((e) => typeof e !== 'string' || !KNOWN_EVENTS.includes(e));

  function handle(request: RecordedRequest, base: string): Answer {
    const auth = request.headers.authorization;
    if (!auth) return error(403, 'authentication_missing', 'Authentication header missing.');
    if (auth !== `Bearer ${apiKey}`) return error(403, 'invalid_token', 'Invalid or revoked API key.');
    const match = /^\/notification-settings(?:\/([^/]+))?$/.exec(request.path);
    if (!match) return error(404, 'not_found', 'Entity not found.');
    const id = match[1];
    const { body } = request;

    if (!id && request.method === 'GET') {
      const all = [...destinations.values()];
      const start = request.query.after ? all.findIndex((d) => d.id === request.query.after) + 1 : 0;
      const perPage = Math.min(Number(request.query.per_page ?? PAGE_SIZE), PAGE_SIZE);
      const page = all.slice(start, start + perPage);
      const hasMore = start + perPage < all.length;
      const pagination = {
        per_page: perPage,
        next: `${base}/notification-settings?after=${page.at(-1)?.id ?? ''}`,
        has_more: hasMore,
        estimated_total: all.length,
      };
      return { status: 200, body: { data: page, meta: { ...meta, pagination } } };
    }
    if (!id && request.method === 'POST') {
      if (typeof body?.description !== 'string' || !['url', 'email'].includes(body?.type) || typeof body?.destination !== 'string') {
        return error(400, 'bad_request', 'Invalid request: description, type and destination are required.');
      }
      if (badEvents(body.subscribed_events)) return error(400, 'bad_request', 'Invalid request: subscribed_events has an unknown event type.');
      const n = next++;
      const destination: FakeDestination = {
        id: idFor(n),
        description: body.description,
        type: body.type,
        destination: body.destination,
        active: true,
        api_version: 1,
        include_sensitive_fields: false,
        traffic_source: 'platform',
        subscribed_events: body.subscribed_events.map(eventObject),
        endpoint_secret_key: `pdl_ntfset_01hzfake${String(n).padStart(18, '0')}_testonlyfakepaddlesecret${String(n).padStart(8, '0')}`,
      };
      destinations.set(destination.id, destination);
      return { status: 201, body: { data: destination, meta } };
    }
    const destination = id ? destinations.get(id) : undefined;
    if (!destination) return error(404, 'not_found', `Entity ${id} not found.`);
    if (request.method === 'PATCH') {
      if (body?.subscribed_events !== undefined) {
        if (badEvents(body.subscribed_events)) return error(400, 'bad_request', 'Invalid request: subscribed_events has an unknown event type.');
        destination.subscribed_events = body.subscribed_events.map(eventObject);
      }
      if (typeof body?.active === 'boolean') destination.active = body.active;
      if (typeof body?.destination === 'string') destination.destination = body.destination;
      return { status: 200, body: { data: destination, meta } };
    }
    if (request.method === 'DELETE') {
      destinations.delete(destination.id);
      return { status: 204 };
    }
    return { status: 200, body: { data: destination, meta } };
  }

  const server = await startJsonServer(handle);
  return {
    ...server,
    apiKey,
    destinations,
    /** A destination already in the account (another URL, or a bridge's from an earlier run). */
    add(fields: Partial<FakeDestination> & { destination: string; events: string[] }) {
      const n = next++;
      const { events, ...rest } = fields;
      const d: FakeDestination = {
        id: idFor(n),
        description: 'added by the test',
        type: 'url',
        active: true,
        api_version: 1,
        include_sensitive_fields: false,
        traffic_source: 'platform',
        endpoint_secret_key: `pdl_ntfset_01hzfake${String(n).padStart(18, '0')}_testonlyfakepaddlesecret${String(n).padStart(8, '0')}`,
        subscribed_events: events.map(eventObject),
        ...rest,
      };
      destinations.set(d.id, d);
      return d;
    },
  };
}

export type FakePaddle = Awaited<ReturnType<typeof startFakePaddle>>;
