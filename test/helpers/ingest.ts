import { ingestEvent, type IngestDeps } from '../../src/ingest/ingest.js';
import { providerNamed } from '../../src/handlers/index.js';
import type { TenantRoute } from '../../src/tenants/route.js';

/**
 * Records a verified event straight through the generic ingest (no HTTP, no signature), the way
 * the webhook handler does after verification: for store-level tests and the delivery benchmark.
 */
export async function ingestVerified(source: string, json: unknown, body: string, deps: IngestDeps, route: TenantRoute, headers: Record<string, string> = {}) {
  const provider = providerNamed(source)!;
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const request = { body: new TextEncoder().encode(body), text: body, header: (name: string) => lower[name] ?? null };
  const identity = await provider.identify({ json, secret: '' }, request);
  if (!identity.ok) throw new Error(identity.message);
  return ingestEvent({ provider, json, identity: identity.value, payload: body, route, request }, deps);
}

/** A verified Stripe event. */
export const ingestStripe = (json: unknown, body: string, deps: IngestDeps, route: TenantRoute) => ingestVerified('stripe', json, body, deps, route);

/** A verified Shopify webhook with the headers it came with. */
export const ingestShopify = (headers: Record<string, string>, json: unknown, body: string, deps: IngestDeps, route: TenantRoute) =>
  ingestVerified('shopify', json, body, deps, route, headers);
