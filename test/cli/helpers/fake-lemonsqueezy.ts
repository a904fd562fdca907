import { type Answer, type RecordedRequest, startJsonServer } from './fake-http.js';

/**
 * A local stand-in for Lemon Squeezy's webhooks API (JSON:API, `application/vnd.api+json`): list
 * filtered by store with `page[number]`/`page[size]`, create with the store relationship and a
 * caller-chosen secret (6 to 40 characters), update, delete. Answers are shaped like
 * docs.lemonsqueezy.com's (`{jsonapi, links, meta.page, data}`); the secret is kept but, as there,
 * never returned. Failures are JSON:API `errors`.
 */
export interface FakeWebhook {
  type: 'webhooks';
  id: string;
  attributes: { store_id: number; url: string; events: string[]; last_sent_at: string | null; created_at: string; updated_at: string; test_mode: boolean };
  /** What the CLI sent as the signing secret (not part of Lemon Squeezy's answers). */
  secret: string;
}

const KNOWN_EVENTS = [
  'order_created',
  'order_refunded',
  'subscription_created',
  'subscription_updated',
  'subscription_cancelled',
  'subscription_resumed',
  'subscription_expired',
  'subscription_paused',
  'subscription_unpaused',
  'subscription_payment_success',
  'subscription_payment_failed',
  'subscription_payment_recovered',
  'subscription_payment_refunded',
  'subscription_plan_changed',
  'license_key_created',
  'license_key_updated',
];
export const LEMONSQUEEZY_STORE = '81234';
const PAGE_SIZE = 2;
const MEDIA = 'application/vnd.api+json';

const failure = (status: number, title: string, detail: string, pointer?: string): Answer => ({
  status,
  body: { jsonapi: { version: '1.0' }, errors: [{ detail, status: String(status), title, ...(pointer ? { source: { pointer } } : {}) }] },
});

export async function startFakeLemonSqueezy(apiKey = 'test_only_fake_lemonsqueezy_api_key_0001', stores = [LEMONSQUEEZY_STORE]) {
  const webhooks = new Map<string, FakeWebhook>();
  let next = 1;
  const shown = (w: FakeWebhook, base: string) => {
    const { secret: _secret, ...resource } = w;
    return { ...resource, links: { self: `${base}/v1/webhooks/${w.id}` } };
  };
  const eventProblem = (events: unknown): Answer | null => {
    if (!Array.isArray(events) || events.length === 0) return failure(422, 'Unprocessable Entity', 'The events field is required.', '/data/attributes/events');
    const bad = events.findIndex((e) => !KNOWN_EVENTS.includes(e));
    return bad >= 0 ? failure(422, 'Unprocessable Entity', `The selected data.attributes.events.${bad} is invalid.`, `/data/attributes/events/${bad}`) : null;
  };

  function handle(request: RecordedRequest, base: string): Answer {
    if (request.headers.authorization !== `Bearer ${apiKey}`) return failure(401, 'Unauthorized', 'Unauthenticated.');
    if (request.headers.accept !== MEDIA) return failure(406, 'Not Acceptable', `Accept must be ${MEDIA}.`);
    if (request.method !== 'GET' && request.method !== 'DELETE' && request.headers['content-type'] !== MEDIA) {
      return failure(415, 'Unsupported Media Type', `Content-Type must be ${MEDIA}.`);
    }
    const match = /^\/v1\/webhooks(?:\/([^/]+))?$/.exec(request.path);
    if (!match) return failure(404, 'Not Found', 'Not found.');
    const id = match[1];
    const data = request.body?.data;

    if (!id && request.method === 'GET') {
      const store = request.query['filter[store_id]'];
      const all = [...webhooks.values()].filter((w) => !store || String(w.attributes.store_id) === store);
      const size = Math.min(Number(request.query['page[size]'] ?? 10), PAGE_SIZE);
      const number = Number(request.query['page[number]'] ?? 1);
      const lastPage = Math.max(1, Math.ceil(all.length / size));
      const page = all.slice((number - 1) * size, number * size);
      const pageLink = (n: number) => `${base}/v1/webhooks?page%5Bnumber%5D=${n}&page%5Bsize%5D=${size}`;
      return {
        status: 200,
        body: {
          meta: {
            page: {
              currentPage: number,
              from: page.length ? (number - 1) * size + 1 : null,
              lastPage,
              perPage: size,
              to: (number - 1) * size + page.length,
              total: all.length,
            },
          },
          jsonapi: { version: '1.0' },
          links: { first: pageLink(1), last: pageLink(lastPage), ...(number < lastPage ? { next: pageLink(number + 1) } : {}) },
          data: page.map((w) => shown(w, base)),
        },
      };
    }
    if (!id && request.method === 'POST') {
      if (data?.type !== 'webhooks') return failure(422, 'Unprocessable Entity', 'The data.type field must be webhooks.', '/data/type');
      const { url, events, secret } = data.attributes ?? {};
      if (typeof url !== 'string') return failure(422, 'Unprocessable Entity', 'The url field is required.', '/data/attributes/url');
      const problem = eventProblem(events);
      if (problem) return problem;
      if (typeof secret !== 'string' || secret.length < 6 || secret.length > 40) {
        return failure(422, 'Unprocessable Entity', 'The secret must be between 6 and 40 characters.', '/data/attributes/secret');
      }
      const store = data.relationships?.store?.data;
      if (store?.type !== 'stores' || !stores.includes(String(store.id)))
        return failure(404, 'Not Found', 'The related store was not found.', '/data/relationships/store');
      const now = new Date().toISOString().replace('Z', '000Z');
      const webhook: FakeWebhook = {
        type: 'webhooks',
        id: String(next++),
        attributes: { store_id: Number(store.id), url, events, last_sent_at: null, created_at: now, updated_at: now, test_mode: true },
        secret,
      };
      webhooks.set(webhook.id, webhook);
      return { status: 201, body: { jsonapi: { version: '1.0' }, links: { self: `${base}/v1/webhooks/${webhook.id}` }, data: shown(webhook, base) } };
    }
    const webhook = id ? webhooks.get(id) : undefined;
    if (!webhook) return failure(404, 'Not Found', 'Not found.');
    if (request.method === 'PATCH') {
      if (data?.type !== 'webhooks' || data?.id !== webhook.id) return failure(409, 'Conflict', 'The data.id must match the URL.', '/data/id');
      const attributes = data.attributes ?? {};
      if (attributes.events !== undefined) {
        const problem = eventProblem(attributes.events);
        if (problem) return problem;
        webhook.attributes.events = attributes.events;
      }
      if (typeof attributes.url === 'string') webhook.attributes.url = attributes.url;
      if (typeof attributes.secret === 'string') webhook.secret = attributes.secret;
      webhook.attributes.updated_at = new Date().toISOString();
      return { status: 200, body: { jsonapi: { version: '1.0' }, links: { self: `${base}/v1/webhooks/${webhook.id}` }, data: shown(webhook, base) } };
    }
    if (request.method === 'DELETE') {
      webhooks.delete(webhook.id);
      return { status: 204 };
    }
    return { status: 200, body: { jsonapi: { version: '1.0' }, data: shown(webhook, base) } };
  }

  const server = await startJsonServer(handle, MEDIA);
  return {
    ...server,
    apiKey,
    webhooks,
    /** A webhook already in a store. */
    add(fields: { url: string; events: string[]; store?: string; secret?: string }) {
      const w: FakeWebhook = {
        type: 'webhooks',
        id: String(next++),
        attributes: {
          store_id: Number(fields.store ?? LEMONSQUEEZY_STORE),
          url: fields.url,
          events: fields.events,
          last_sent_at: null,
          created_at: '2026-01-01T00:00:00.000000Z',
          updated_at: '2026-01-01T00:00:00.000000Z',
          test_mode: true,
        },
        secret: fields.secret ?? 'an-older-secret-chosen-by-hand',
      };
      webhooks.set(w.id, w);
      return w;
    },
  };
}

export type FakeLemonSqueezy = Awaited<ReturnType<typeof startFakeLemonSqueezy>>;
