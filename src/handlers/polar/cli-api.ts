import { InvalidArgumentError } from 'commander';
import type { ProviderApi } from '../../cli/provider-api.js';
import { sameEvents, type Registration, type RegistrarOptions, type WebhookRegistrar } from '../../cli/webhook-registrar.js';

/**
 * Polar webhook endpoints: `GET /v1/webhooks/endpoints` (pages of `items`, `pagination.max_page`),
 * `POST` to create (`url`, `format: raw`, `events`; the answer holds the `secret`),
 * `PATCH /v1/webhooks/endpoints/{id}`, `DELETE /v1/webhooks/endpoints/{id}`. Bearer access token
 * (an organization access token, or a personal one with `--organization`).
 */
export interface PolarEndpoint {
  id: string;
  url: string;
  format: string;
  secret: string;
  organization_id: string;
  events: string[];
  enabled: boolean;
  created_at: string;
  modified_at: string | null;
}

interface PolarList {
  items: PolarEndpoint[];
  pagination: { total_count: number; max_page: number };
}

/** A Polar organization id (a UUID, Polar > Settings > General). */
export function organizationId(value: string): string {
  const id = value.trim().toLowerCase();
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id))
    throw new InvalidArgumentError('expected the organization id, a UUID (Polar > Settings > General)');
  return id;
}

/** Every endpoint whose URL is `url` (of one organization when given), across pages. */
export async function polarEndpointsAt(api: ProviderApi, url: string, organization?: string): Promise<PolarEndpoint[]> {
  const found: PolarEndpoint[] = [];
  const org = organization ? `&organization_id=${encodeURIComponent(organization)}` : '';
  for (let page = 1, last = 1; page <= last && page <= 100; page++) {
    const list = await api.request<PolarList>('GET', `/v1/webhooks/endpoints?limit=100&page=${page}${org}`);
    found.push(...list.items.filter((e) => e.url === url));
    last = list.pagination.max_page;
  }
  return found;
}

/** `--organization`, when given. */
const organizationOf = (options: RegistrarOptions) => (typeof options.organization === 'string' ? options.organization : undefined);

const registration = (action: Registration['action'], e: PolarEndpoint, secret: string | null): Registration => ({
  action,
  id: e.id,
  events: e.events,
  secret,
  details: { enabled: e.enabled, format: e.format, organization: e.organization_id },
  summary: `${e.enabled ? 'enabled' : 'disabled'}, format ${e.format}, organization ${e.organization_id}`,
});

/** Creates the endpoint (raw format), or sets the one at `url` back to exactly `events`, raw and enabled. */
export async function registerPolarEndpoint(api: ProviderApi, url: string, events: readonly string[], options: RegistrarOptions): Promise<Registration> {
  const [existing] = await polarEndpointsAt(api, url, organizationOf(options));
  if (!existing) {
    const created = await api.request<PolarEndpoint>('POST', '/v1/webhooks/endpoints', {
      url,
      format: 'raw',
      events: [...events],
      ...(organizationOf(options) ? { organization_id: organizationOf(options) } : {}),
    });
    return registration('created', created, created.secret);
  }
  if (sameEvents(existing.events, events) && existing.format === 'raw' && existing.enabled) return registration('unchanged', existing, null);
  // Only what differs: Polar refuses to (re-)enable an endpoint it may not deliver to.
  const updated = await api.request<PolarEndpoint>('PATCH', `/v1/webhooks/endpoints/${encodeURIComponent(existing.id)}`, {
    events: [...events],
    ...(existing.format === 'raw' ? {} : { format: 'raw' }),
    ...(existing.enabled ? {} : { enabled: true }),
  });
  return registration('updated', updated, null);
}

/** Deletes every endpoint at `url`. */
export async function unregisterPolarEndpoints(api: ProviderApi, url: string, options: RegistrarOptions): Promise<string[]> {
  const found = await polarEndpointsAt(api, url, organizationOf(options));
  for (const e of found) await api.request('DELETE', `/v1/webhooks/endpoints/${encodeURIComponent(e.id)}`);
  return found.map((e) => e.id);
}

/** Polar's error bodies: `{error, detail: "…"}`, or validation errors `{detail: [{loc, msg}]}`. */
function describePolarError(body: unknown): string | null {
  const { error, detail } = (body ?? {}) as { error?: string; detail?: unknown };
  if (Array.isArray(detail)) {
    return detail.map((d: { loc?: unknown[]; msg?: string }) => `${(d.loc ?? []).slice(1).join('.')}: ${d.msg ?? ''}`).join('; ') || null;
  }
  return [error, typeof detail === 'string' && detail !== error ? detail : null].filter(Boolean).join(': ') || null;
}

export const polarRegistrar: WebhookRegistrar = {
  source: 'polar',
  label: 'Polar',
  flags: { sandbox: true },
  options: (command) => command.option('--organization <id>', 'the organization id; needed only with a personal access token', organizationId),
  noun: 'webhook endpoint',
  credential: { variable: 'POLAR_ACCESS_TOKEN', stdinFlag: '--access-token-stdin', refusedFlag: '--access-token', what: 'a Polar access token' },
  baseVariable: 'POLAR_API_BASE',
  bases: { live: 'https://api.polar.sh', sandbox: 'https://sandbox-api.polar.sh' },
  authHint:
    'use an organization access token with the webhooks:read and webhooks:write scopes (Polar > Settings > General > Developers); a sandbox token needs --sandbox',
  describeError: describePolarError,
  secretOrigin: 'provider',
  secretLater: 'Polar > Settings > Webhooks > this endpoint shows its secret (or resets it)',
  register: registerPolarEndpoint,
  unregister: unregisterPolarEndpoints,
};
