import { BridgeError } from '../errors.js';
import type { Store } from '../db/store.js';
import type { Identity, ProviderDefinition, WebhookRequest } from '../handlers/provider.js';
import type { MapResult } from '../mappers/types.js';
import type { TenantRoute } from '../tenants/route.js';

export interface MapEventDeps {
  /** Customer links the mappers need are read from it. */
  store: Pick<Store, 'findCustomerLink'>;
  /** Each provider's parsed extra settings (RevenueCat's ignored stores, …), by source. */
  settingsOf?: (source: string) => Record<string, unknown>;
}

/** A verified, identified event and where it was routed: what mapping needs. */
export interface VerifiedEvent {
  provider: ProviderDefinition;
  json: unknown;
  identity: Identity;
  /** The exact raw body, stored in the inbox. */
  payload: string;
  route: TenantRoute;
  /** The request it came in (absent when a stored event is rebuilt). */
  request?: WebhookRequest;
}

/**
 * Parse with the provider's schema, look up the customer link its mapper needs, then map (pure).
 * Throws `invalid_payload` naming the bad field when the payload fails the schema.
 */
export async function mapEvent(event: VerifiedEvent, deps: MapEventDeps): Promise<MapResult> {
  const { provider, identity } = event;
  const parsed = provider.parse(event.json, identity, event.request);
  if (!parsed.ok) throw new BridgeError('invalid_payload', `${provider.label} ${identity.eventType} payload failed validation: ${parsed.issues}`);
  const customerId = provider.customerIdOf?.(parsed.value) ?? null;
  const linkedExternalId = customerId ? await deps.store.findCustomerLink(provider.source, customerId, event.route.tenant) : undefined;
  const settings = deps.settingsOf?.(provider.source) ?? {};
  return provider.map(parsed.value, { testEvents: event.route.testEvents, linkedExternalId, settings });
}
