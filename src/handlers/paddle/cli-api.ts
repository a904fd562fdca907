import type { ProviderApi } from '../../cli/provider-api.js';
import { sameEvents, type Registration, type WebhookRegistrar } from '../../cli/webhook-registrar.js';

/**
 * Paddle Billing notification destinations ("notification settings" in the API):
 * `GET /notification-settings` (paginated, `meta.pagination.next`), `POST` to create (the answer
 * holds `endpoint_secret_key`), `PATCH /notification-settings/{id}` (the complete event list
 * replaces the old one), `DELETE /notification-settings/{id}`. Bearer API key.
 */
export interface PaddleDestination {
  id: string;
  description: string;
  type: 'url' | 'email';
  destination: string;
  active: boolean;
  api_version: number;
  include_sensitive_fields: boolean;
  /** Sent as names; Paddle answers with event type objects. */
  subscribed_events: { name: string }[];
  endpoint_secret_key: string;
  traffic_source?: string;
}

interface PaddleList {
  data: PaddleDestination[];
  meta?: { pagination?: { next?: string | null; has_more?: boolean } };
}

const DESCRIPTION = 'dub-bridge: Paddle events to Dub conversions';

/** Every URL destination whose address is `url`, across pages. */
export async function paddleDestinationsAt(api: ProviderApi, url: string): Promise<PaddleDestination[]> {
  const found: PaddleDestination[] = [];
  let next: string | null = '/notification-settings?per_page=200';
  for (let page = 0; next && page < 100; page++) {
    const list: PaddleList = await api.request<PaddleList>('GET', next);
    found.push(...list.data.filter((d) => d.type === 'url' && d.destination === url));
    next = list.meta?.pagination?.has_more ? (list.meta.pagination.next ?? null) : null;
  }
  return found;
}

const eventNames = (d: PaddleDestination) => d.subscribed_events.map((e) => e.name);

const registration = (action: Registration['action'], d: PaddleDestination, secret: string | null): Registration => ({
  action,
  id: d.id,
  events: eventNames(d),
  secret,
  details: { active: d.active, apiVersion: d.api_version },
  summary: `${d.active ? 'active' : 'inactive'}, API version ${d.api_version}`,
});

/** Creates the destination, or brings the one already at `url` back to exactly `events` and active. */
export async function registerPaddleDestination(api: ProviderApi, url: string, events: readonly string[]): Promise<Registration> {
  const [existing] = await paddleDestinationsAt(api, url);
  if (!existing) {
    const { data } = await api.request<{ data: PaddleDestination }>('POST', '/notification-settings', {
      description: DESCRIPTION,
      type: 'url',
      destination: url,
      subscribed_events: [...events],
    });
    return registration('created', data, data.endpoint_secret_key);
  }
  if (sameEvents(eventNames(existing), events) && existing.active) return registration('unchanged', existing, null);
  const { data } = await api.request<{ data: PaddleDestination }>('PATCH', `/notification-settings/${encodeURIComponent(existing.id)}`, {
    subscribed_events: [...events],
    active: true,
  });
  return registration('updated', data, null);
}

/** Deletes every destination at `url` (Paddle drops its delivery logs with it). */
export async function unregisterPaddleDestinations(api: ProviderApi, url: string): Promise<string[]> {
  const found = await paddleDestinationsAt(api, url);
  for (const d of found) await api.request('DELETE', `/notification-settings/${encodeURIComponent(d.id)}`);
  return found.map((d) => d.id);
}

/** Paddle's error body: `{error: {type, code, detail}}`. */
function describePaddleError(body: unknown): string | null {
  const error = (body as { error?: { code?: string; detail?: string } } | null)?.error;
  if (!error) return null;
  return [error.code, error.detail].filter(Boolean).join(': ') || null;
}

export const paddleRegistrar: WebhookRegistrar = {
  source: 'paddle',
  label: 'Paddle',
  flags: { sandbox: true },
  noun: 'notification destination',
  credential: { variable: 'PADDLE_API_KEY', stdinFlag: '--api-key-stdin', refusedFlag: '--api-key', what: 'a Paddle API key' },
  baseVariable: 'PADDLE_API_BASE',
  bases: { live: 'https://api.paddle.com', sandbox: 'https://sandbox-api.paddle.com' },
  authHint:
    'use an API key with the notification_setting.read and notification_setting.write permissions (Paddle > Developer tools > Authentication); a sandbox key (pdl_sdbx_…) needs --sandbox',
  describeError: describePaddleError,
  secretOrigin: 'provider',
  secretLater: 'Paddle > Developer tools > Notifications > this destination > Edit shows its secret key',
  register: (api, url, events) => registerPaddleDestination(api, url, events),
  unregister: (api, url) => unregisterPaddleDestinations(api, url),
};
