import { InvalidAmountError } from '../money.js';
import { ignored, type MapContext, type MapResult } from '../types.js';
import { customersCreateUpdate } from './customers-create-update.js';
import { customersDataRequest, customersRedact, shopRedact } from './compliance.js';
import { ordersPaid } from './orders-paid.js';
import { refundsCreate } from './refunds-create.js';
import type { ShopifyWebhookMeta, TopicMapper } from './shared.js';

export type { ShopifyWebhookMeta } from './shared.js';

/** A webhook whose payload passed its topic's schema (or whose topic has none). */
export interface ShopifyWebhook {
  meta: ShopifyWebhookMeta;
  payload: any; // validated per topic by parseShopifyWebhook
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: string };

/** Topics subscribed through the Admin API (not the compliance ones, which are app configuration). */
const subscribed: Record<string, TopicMapper<any>> = {
  'orders/paid': ordersPaid,
  'customers/create': customersCreateUpdate,
  'customers/update': customersCreateUpdate,
  'refunds/create': refundsCreate,
};

/** Mandatory privacy topics, configured in the app (shopify.app.toml), not subscribed. */
const compliance: Record<string, TopicMapper<any>> = {
  'customers/data_request': customersDataRequest,
  'customers/redact': customersRedact,
  'shop/redact': shopRedact,
};

const mappers: Record<string, TopicMapper<any>> = { ...subscribed, ...compliance };

export const handledShopifyTopics: readonly string[] = Object.freeze(Object.keys(subscribed));
export const complianceTopics: readonly string[] = Object.freeze(Object.keys(compliance));

const MAX_ISSUES = 3;

/**
 * Validates a parsed JSON body before anything is stored. Payload must be a JSON object; handled
 * topics are validated with their schema; unknown topics pass. `issues` names the bad field(s).
 */
export function parseShopifyWebhook(meta: ShopifyWebhookMeta, payload: unknown): ParseResult<ShopifyWebhook> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return { ok: false, issues: `${meta.topic} payload must be a JSON object` };
  }
  const mapper = Object.hasOwn(mappers, meta.topic) ? mappers[meta.topic] : undefined;
  if (!mapper) return { ok: true, value: { meta, payload } };

  const parsed = mapper.schema.safeParse(payload);
  if (parsed.success) return { ok: true, value: { meta, payload: parsed.data } };
  const issues = parsed.error.issues.slice(0, MAX_ISSUES).map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`);
  return { ok: false, issues: `invalid ${meta.topic} payload: ${issues.join('; ')}` };
}

/** Maps a parsed webhook. Unknown topics (including orders/create) -> ignored with reason `unhandled topic <topic>`. */
export function mapShopifyWebhook(webhook: ShopifyWebhook, ctx: MapContext): MapResult {
  const { meta, payload } = webhook;
  const mapper = Object.hasOwn(mappers, meta.topic) ? mappers[meta.topic] : undefined;
  if (!mapper) return ignored(`unhandled topic ${meta.topic}`);
  try {
    return mapper.map(payload, meta, ctx);
  } catch (error) {
    // Schemas bound every amount, so only an absurd sum (beyond 2^53 Dub units) lands here.
    if (error instanceof InvalidAmountError) return ignored(`amount out of range: ${error.message}`);
    throw error;
  }
}
