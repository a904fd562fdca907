import { BridgeError } from '../errors.js';
import type { RecordEventResult, Store } from '../db/store.js';
import { mapShopifyWebhook, parseShopifyWebhook, type ShopifyWebhookMeta } from '../mappers/shopify/index.js';
import { mapStripeEvent, parseStripeEvent, stripeCustomerIdOf } from '../mappers/stripe/index.js';
import type { MapResult } from '../mappers/types.js';
import type { TenantRoute } from '../tenants/route.js';
import { toRecord, type ReceivedEvent } from './record.js';

export interface IngestDeps {
  store: Store;
  /** See PROVISIONAL_SALE_HOLD_MS. */
  provisionalHoldMs: number;
  now: () => number;
}

/** What the handler answers with: recorded now (with what it mapped to) or seen before. */
export type IngestResult =
  | { duplicate: true }
  | { duplicate: false; inboxId: number; queued: number; result: MapResult };

async function record(event: ReceivedEvent, result: MapResult, deps: IngestDeps): Promise<IngestResult> {
  const { store, now } = deps;
  const recorded: RecordEventResult = await store.recordEvent(toRecord(event, result, deps.provisionalHoldMs));
  if (result.outcome === 'compliance') {
    // Applied on every delivery (scrubbing is idempotent) so a crash between recording the request
    // and scrubbing cannot leave personal data behind once Shopify retries.
    if (!recorded.duplicate || result.compliance.action !== 'data_request') {
      await store.applyCompliance(result.compliance, recorded.inboxId, now());
    }
  }
  if (recorded.duplicate) return { duplicate: true };
  return { duplicate: false, inboxId: recorded.inboxId, queued: recorded.queued, result };
}

/** Verified Stripe JSON -> validated event -> Dub commands -> inbox + outbox, atomically. */
export async function ingestStripe(json: unknown, rawBody: string, deps: IngestDeps, route: TenantRoute): Promise<IngestResult> {
  const parsed = parseStripeEvent(json);
  if (!parsed.ok) throw new BridgeError('invalid_payload', `Stripe event failed validation: ${parsed.issues}`);
  const event = parsed.value;
  const customerId = stripeCustomerIdOf(event);
  const linkedExternalId = customerId ? await deps.store.findCustomerLink('stripe', customerId) : undefined;
  const result = mapStripeEvent(event, { testEvents: route.testEvents, linkedExternalId });
  const received: ReceivedEvent = {
    source: 'stripe',
    eventKey: event.id,
    eventType: event.type,
    account: event.account ?? null,
    tenant: route.tenant,
    payload: rawBody,
    receivedAt: deps.now(),
  };
  return record(received, result, deps);
}

/** Verified Shopify JSON + headers -> validated webhook -> Dub commands -> inbox + outbox. */
export async function ingestShopify(
  meta: ShopifyWebhookMeta,
  json: unknown,
  rawBody: string,
  deps: IngestDeps,
  route: TenantRoute,
): Promise<IngestResult> {
  const deliveryId = meta.eventId ?? meta.webhookId;
  if (!deliveryId) throw new BridgeError('missing_header', 'missing X-Shopify-Event-Id and X-Shopify-Webhook-Id headers');
  const parsed = parseShopifyWebhook(meta, json);
  if (!parsed.ok) throw new BridgeError('invalid_payload', `Shopify ${meta.topic} payload failed validation: ${parsed.issues}`);
  const result = mapShopifyWebhook(parsed.value, { testEvents: route.testEvents });
  const received: ReceivedEvent = {
    source: 'shopify',
    eventKey: `${meta.shop}:${meta.topic}:${deliveryId}`,
    eventType: meta.topic,
    account: meta.shop,
    tenant: route.tenant,
    payload: rawBody,
    receivedAt: deps.now(),
  };
  return record(received, result, deps);
}
