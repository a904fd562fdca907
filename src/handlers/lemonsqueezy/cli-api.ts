import { randomBytes } from 'node:crypto';
import { InvalidArgumentError } from 'commander';
import type { ProviderApi } from '../../cli/provider-api.js';
import { usageError } from '../../cli/errors.js';
import { sameEvents, type Registration, type RegistrarOptions, type WebhookRegistrar } from '../../cli/webhook-registrar.js';

/**
 * Lemon Squeezy webhooks (JSON:API): `GET /v1/webhooks?filter[store_id]=…` (pages, `meta.page.lastPage`),
 * `POST /v1/webhooks` with the store relationship and a signing secret the caller chooses,
 * `PATCH /v1/webhooks/{id}`, `DELETE /v1/webhooks/{id}`. Bearer API key. Lemon Squeezy never
 * returns the secret, so the one generated here is shown once and only here.
 */
export interface LemonSqueezyWebhook {
  type: 'webhooks';
  id: string;
  attributes: {
    store_id: number;
    url: string;
    events: string[];
    last_sent_at: string | null;
    created_at: string;
    updated_at: string;
    test_mode: boolean;
  };
}

interface LemonSqueezyList {
  meta: { page: { currentPage: number; lastPage: number } };
  data: LemonSqueezyWebhook[];
}

/** A Lemon Squeezy store id: digits (Settings > Stores shows it as `#12345`; the `#` is dropped). */
export function storeId(value: string): string {
  const id = value.trim().replace(/^#/, '');
  if (!/^\d{1,15}$/.test(id)) throw new InvalidArgumentError('expected the store id, digits only (Lemon Squeezy > Settings > Stores, e.g. 12345)');
  return id;
}

/**
 * A signing secret: 30 random bytes, base64url, exactly 40 characters (240 bits), the most Lemon
 * Squeezy accepts (it takes 6 to 40 characters).
 */
export function generateLemonSqueezySecret(): string {
  return randomBytes(30).toString('base64url');
}

/** Every webhook of the store whose URL is `url`, across pages. */
export async function lemonSqueezyWebhooksAt(api: ProviderApi, url: string, store: string): Promise<LemonSqueezyWebhook[]> {
  const found: LemonSqueezyWebhook[] = [];
  for (let page = 1, last = 1; page <= last && page <= 100; page++) {
    const query = `filter%5Bstore_id%5D=${encodeURIComponent(store)}&page%5Bnumber%5D=${page}&page%5Bsize%5D=100`;
    const list = await api.request<LemonSqueezyList>('GET', `/v1/webhooks?${query}`);
    found.push(...list.data.filter((w) => w.attributes.url === url && String(w.attributes.store_id) === store));
    last = list.meta.page.lastPage;
  }
  return found;
}

const registration = (action: Registration['action'], w: LemonSqueezyWebhook, secret: string | null): Registration => ({
  action,
  id: w.id,
  events: w.attributes.events,
  secret,
  details: { store: String(w.attributes.store_id), testMode: w.attributes.test_mode },
  summary: `store ${w.attributes.store_id}, ${w.attributes.test_mode ? 'test mode' : 'live mode'}`,
});

const requireStore = (options: RegistrarOptions): string => {
  if (typeof options.store !== 'string') throw usageError('--store: the Lemon Squeezy store id is required');
  return options.store;
};

/**
 * Creates the webhook with a new secret, or sets the one at `url` back to exactly `events` (its
 * secret stays: Lemon Squeezy keeps it and never shows it again).
 */
export async function registerLemonSqueezyWebhook(api: ProviderApi, url: string, events: readonly string[], options: RegistrarOptions): Promise<Registration> {
  const store = requireStore(options);
  const [existing] = await lemonSqueezyWebhooksAt(api, url, store);
  if (!existing) {
    const secret = generateLemonSqueezySecret();
    const { data } = await api.request<{ data: LemonSqueezyWebhook }>('POST', '/v1/webhooks', {
      data: {
        type: 'webhooks',
        attributes: { url, events: [...events], secret },
        relationships: { store: { data: { type: 'stores', id: store } } },
      },
    });
    return registration('created', data, secret);
  }
  if (sameEvents(existing.attributes.events, events)) return registration('unchanged', existing, null);
  const { data } = await api.request<{ data: LemonSqueezyWebhook }>('PATCH', `/v1/webhooks/${encodeURIComponent(existing.id)}`, {
    data: { type: 'webhooks', id: existing.id, attributes: { events: [...events] } },
  });
  return registration('updated', data, null);
}

/** Deletes every webhook of the store at `url`. */
export async function unregisterLemonSqueezyWebhooks(api: ProviderApi, url: string, options: RegistrarOptions): Promise<string[]> {
  const found = await lemonSqueezyWebhooksAt(api, url, requireStore(options));
  for (const w of found) await api.request('DELETE', `/v1/webhooks/${encodeURIComponent(w.id)}`);
  return found.map((w) => w.id);
}

/** JSON:API errors: `{errors: [{status, title, detail}]}`. */
function describeLemonSqueezyError(body: unknown): string | null {
  const errors = (body as { errors?: { title?: string; detail?: string }[] } | null)?.errors;
  if (!Array.isArray(errors)) return null;
  return errors.map((e) => [e.title, e.detail].filter(Boolean).join(': ')).join('; ') || null;
}

export const lemonSqueezyRegistrar: WebhookRegistrar = {
  source: 'lemonsqueezy',
  label: 'Lemon Squeezy',
  flags: {},
  options: (command) => command.requiredOption('--store <id>', 'the Lemon Squeezy store id (Settings > Stores)', storeId),
  noun: 'webhook',
  credential: { variable: 'LEMONSQUEEZY_API_KEY', stdinFlag: '--api-key-stdin', refusedFlag: '--api-key', what: 'a Lemon Squeezy API key' },
  baseVariable: 'LEMONSQUEEZY_API_BASE',
  bases: { live: 'https://api.lemonsqueezy.com' },
  authHint: 'create an API key in Lemon Squeezy > Settings > API (a test-mode key manages test-mode webhooks)',
  mediaType: 'application/vnd.api+json',
  describeError: describeLemonSqueezyError,
  secretOrigin: 'generated',
  secretLater:
    'Lemon Squeezy never shows a signing secret again; if it is lost, set a new one in Settings > Webhooks > this webhook and in LEMONSQUEEZY_WEBHOOK_SECRET',
  register: registerLemonSqueezyWebhook,
  unregister: unregisterLemonSqueezyWebhooks,
};
