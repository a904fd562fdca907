import { BridgeError } from '../errors.js';
import type { RecordEventResult, Store } from '../db/store.js';
import type { Identity, ProviderDefinition, WebhookRequest } from '../handlers/provider.js';
import type { MapResult } from '../mappers/types.js';
import type { TenantRoute } from '../tenants/route.js';
import { toRecord } from './record.js';

export interface IngestDeps {
  store: Store;
  /** See PROVISIONAL_SALE_HOLD_MS. */
  provisionalHoldMs: number;
  now: () => number;
  /** Each provider's parsed extra settings (RevenueCat's ignored stores, …), by source. */
  settingsOf?: (source: string) => Record<string, unknown>;
}

/** A verified, identified webhook on its way into the inbox. */
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

/** What the handler answers with: recorded now (with what it mapped to) or seen before. */
export type IngestResult =
  | { duplicate: true }
  | { duplicate: false; inboxId: number; queued: number; result: MapResult };

/**
 * Parse with the provider's schema, look up the customer link its mapper needs, map (pure), then
 * record inbox + outbox + links in one transaction. Throws `invalid_payload` before anything is
 * stored when the payload fails the schema.
 */
export async function mapEvent(event: VerifiedEvent, deps: Pick<IngestDeps, 'store' | 'settingsOf'>): Promise<MapResult> {
  const { provider, identity } = event;
  const parsed = provider.parse(event.json, identity, event.request);
  if (!parsed.ok) throw new BridgeError('invalid_payload', `${provider.label} ${identity.eventType} payload failed validation: ${parsed.issues}`);
  const customerId = provider.customerIdOf?.(parsed.value) ?? null;
  const linkedExternalId = customerId ? await deps.store.findCustomerLink(provider.source, customerId) : undefined;
  const settings = deps.settingsOf?.(provider.source) ?? {};
  return provider.map(parsed.value, { testEvents: event.route.testEvents, linkedExternalId, settings });
}

/** Verified JSON -> validated event -> Dub commands -> inbox + outbox, atomically. */
export async function ingestEvent(event: VerifiedEvent, deps: IngestDeps): Promise<IngestResult> {
  const result = await mapEvent(event, deps);
  const { store, now } = deps;
  const received = {
    source: event.provider.source,
    eventKey: event.identity.eventKey,
    eventType: event.identity.eventType,
    account: event.identity.account,
    tenant: event.route.tenant,
    payload: event.payload,
    receivedAt: now(),
  };
  const recorded: RecordEventResult = await store.recordEvent(toRecord(received, result, deps.provisionalHoldMs));
  if (result.outcome === 'compliance') {
    // Applied on every delivery (scrubbing is idempotent) so a crash between recording the request
    // and scrubbing cannot leave personal data behind once the provider retries.
    if (!recorded.duplicate || result.compliance.action !== 'data_request') {
      await store.applyCompliance(result.compliance, recorded.inboxId, now());
    }
  }
  if (recorded.duplicate) return { duplicate: true };
  return { duplicate: false, inboxId: recorded.inboxId, queued: recorded.queued, result };
}
