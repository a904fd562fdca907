import type { Store } from '../../src/db/store.js';
import { providerNamed } from '../../src/handlers/index.js';
import { mapEvent } from '../../src/ingest/ingest.js';
import { toRecord } from '../../src/ingest/record.js';
import type { TenantRoute } from '../../src/tenants/route.js';

/** What recording an event at once needs: the store, the provisional hold and the clock. */
export interface IngestDeps {
  store: Store;
  provisionalHoldMs: number;
  now: () => number;
}

/**
 * Records a verified event and its commands in one go (identify, parse, map, recordEvent), the way
 * the mapper does after the ack, without HTTP or a signature: for store-level tests and the
 * delivery benchmark's backlog.
 */
export async function ingestVerified(source: string, json: unknown, body: string, deps: IngestDeps, route: TenantRoute, headers: Record<string, string> = {}) {
  const provider = providerNamed(source)!;
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const request = { body: new TextEncoder().encode(body), text: body, header: (name: string) => lower[name] ?? null };
  const identity = await provider.identify({ json, secret: '' }, request);
  if (!identity.ok) throw new Error(identity.message);
  const result = await mapEvent({ provider, json, identity: identity.value, payload: body, route, request }, { store: deps.store });
  const { eventKey, eventType, account } = identity.value;
  const received = { source, eventKey, eventType, account, tenant: route.tenant, payload: body, receivedAt: deps.now() };
  const recorded = await deps.store.recordEvent(toRecord(received, result, deps.provisionalHoldMs));
  if (result.outcome === 'compliance') await deps.store.applyCompliance(result.compliance, recorded.inboxId, deps.now());
  return { ...recorded, result };
}

/** A verified Stripe event. */
export const ingestStripe = (json: unknown, body: string, deps: IngestDeps, route: TenantRoute) => ingestVerified('stripe', json, body, deps, route);

/** A verified Shopify webhook with the headers it came with. */
export const ingestShopify = (headers: Record<string, string>, json: unknown, body: string, deps: IngestDeps, route: TenantRoute) =>
  ingestVerified('shopify', json, body, deps, route, headers);
