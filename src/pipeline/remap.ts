import type { Config } from '../config.js';
import type { InboxRow } from '../db/schema.js';
import type { NewOutboxRecord, Store } from '../db/store.js';
import { mapShopifyWebhook, parseShopifyWebhook, type ShopifyWebhookMeta } from '../mappers/shopify/index.js';
import { mapStripeEvent, parseStripeEvent, stripeCustomerIdOf } from '../mappers/stripe/index.js';
import type { MapResult } from '../mappers/types.js';
import { routeOf, tenantsOf } from '../tenants/route.js';
import { toRecord } from './record.js';

export interface RemapDeps {
  store: Store;
  config: Config;
}

/** Why a stored event could not be rebuilt. */
export type RemapFailure = 'no_payload' | 'unparseable';

/** The Shopify headers a stored event had, as far as its key (`shop:topic:deliveryId`) keeps them. */
function shopifyMeta(row: InboxRow): ShopifyWebhookMeta {
  const prefix = `${row.account}:${row.eventType}:`;
  const deliveryId = row.eventKey.startsWith(prefix) ? row.eventKey.slice(prefix.length) : row.eventKey;
  return { topic: row.eventType, shop: row.account ?? '', eventId: deliveryId, webhookId: null, apiVersion: null };
}

/** Parse + map with the same functions ingest uses, including the Stripe customer-link lookup. */
async function mapStored(row: InboxRow, json: unknown, deps: RemapDeps, tenant: string | null): Promise<MapResult | null> {
  const tenantConfig = tenantsOf(deps.config).find((t) => t.id === tenant) ?? null;
  const { testEvents } = routeOf(tenantConfig, deps.config);
  if (row.source === 'stripe') {
    const parsed = parseStripeEvent(json);
    if (!parsed.ok) return null;
    const customerId = stripeCustomerIdOf(parsed.value);
    const linkedExternalId = customerId ? await deps.store.findCustomerLink('stripe', customerId) : undefined;
    return mapStripeEvent(parsed.value, { testEvents, linkedExternalId });
  }
  const parsed = parseShopifyWebhook(shopifyMeta(row), json);
  return parsed.ok ? mapShopifyWebhook(parsed.value, { testEvents }) : null;
}

/**
 * Rebuilds the outbox records of a stored event from its raw payload with today's mappers, the
 * same records ingest would write now (same idempotency keys, so nothing is queued twice).
 * `tenant` is the tenant its existing rows belong to (null = DUB_API_KEY).
 */
export async function rebuildRecords(
  row: InboxRow,
  tenant: string | null,
  deps: RemapDeps,
): Promise<{ ok: true; records: NewOutboxRecord[] } | { ok: false; reason: RemapFailure }> {
  if (row.payload === null) return { ok: false, reason: 'no_payload' };
  let json: unknown;
  try {
    json = JSON.parse(row.payload);
  } catch {
    return { ok: false, reason: 'unparseable' };
  }
  const result = await mapStored(row, json, deps, tenant);
  if (!result) return { ok: false, reason: 'unparseable' };
  const received = {
    source: row.source,
    eventKey: row.eventKey,
    eventType: row.eventType,
    account: row.account,
    tenant,
    payload: row.payload,
    receivedAt: row.receivedAt,
  };
  return { ok: true, records: toRecord(received, result, deps.config.PROVISIONAL_SALE_HOLD_MS).outbox };
}
