import * as z from 'zod';
import { complianceSchemas } from '../../mappers/shopify/compliance.js';
import { handledShopifyTopics, mapShopifyWebhook, parseShopifyWebhook, type ShopifyWebhook, type ShopifyWebhookMeta } from '../../mappers/shopify/index.js';
import { sha256Hex } from '../crypto.js';
import { secretOrList } from '../secret-list.js';
import { defineProvider, refused, type Identity, type WebhookRequest } from '../provider.js';
import { createShopifyVerifier } from './verify.js';

/** The headers a delivery had; on remap, what its inbox key (`shop:topic:deliveryId`) kept of them. */
function metaOf(identity: Identity, request?: WebhookRequest): ShopifyWebhookMeta {
  const shop = identity.account ?? '';
  if (request) {
    return {
      topic: identity.eventType,
      shop,
      eventId: request.header('x-shopify-event-id'),
      webhookId: request.header('x-shopify-webhook-id'),
      apiVersion: request.header('x-shopify-api-version'),
    };
  }
  const prefix = `${shop}:${identity.eventType}:`;
  const deliveryId = identity.eventKey.startsWith(prefix) ? identity.eventKey.slice(prefix.length) : identity.eventKey;
  return { topic: identity.eventType, shop, eventId: deliveryId, webhookId: null, apiVersion: null };
}

/**
 * A compliance request is checked before it is stored (not after the ack like other topics): it
 * must carry its topic's fields, and the shop it names must be the shop the header routed it to,
 * so one shop's signed request can never scrub another shop's data.
 */
function complianceRefusal(topic: string, shop: string, json: unknown): string | null {
  const schema = Object.hasOwn(complianceSchemas, topic) ? complianceSchemas[topic as keyof typeof complianceSchemas] : undefined;
  if (!schema) return null;
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return `${topic} payload failed validation: ${issue.path.join('.') || '(payload)'}: ${issue.message}`;
  }
  const named = parsed.data.shop_domain.toLowerCase();
  return named === shop ? null : `${topic} names shop ${named.slice(0, 100)}, not the X-Shopify-Shop-Domain it came with`;
}

/**
 * Shopify: `X-Shopify-Hmac-Sha256` over the raw body with the app's client secret. The shop
 * domain header picks the tenant before the HMAC is checked; inbox key = shop + topic +
 * X-Shopify-Event-Id (else X-Shopify-Webhook-Id).
 */
const shopDomain = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)+$/i, 'expected a shop domain such as acme.myshopify.com')
  .transform((shop) => shop.toLowerCase());

/** `"shopify": {"shops": […], "apiSecret": "…"}` in TENANTS_FILE (the first format). */
const legacyTenantBlock = z.strictObject({
  shops: z.array(shopDomain).min(1),
  /** The app's client secret; absent = SHOPIFY_API_SECRET (one app installed in several shops). */
  apiSecret: secretOrList(z.string().trim().min(32, 'too short for a Shopify client secret or notification key (32 characters or more)')).optional(),
});

export default defineProvider<ShopifyWebhook>({
  source: 'shopify',
  label: 'Shopify',
  secretVariable: 'SHOPIFY_API_SECRET',
  secretHint: 'the app client secret, comma-separated during rotation',
  // App client secrets are 32 hex characters (shpss_-prefixed in newer apps); notification keys 64.
  secret: z.string().trim().min(32, 'too short for a Shopify client secret or notification key (32 characters or more)'),
  legacyTenantBlock: { key: 'shopify', schema: legacyTenantBlock, secretField: 'apiSecret', accountsField: 'shops' },
  createVerifier: (secrets) => createShopifyVerifier(secrets),
  accountLogField: 'shop',
  accountFromHeaders: (request) => request.header('x-shopify-shop-domain')?.toLowerCase() ?? null,
  async identify(verified, request) {
    const topic = request.header('x-shopify-topic');
    const shop = request.header('x-shopify-shop-domain')?.toLowerCase();
    if (!topic || !shop) return refused('missing_header', 'missing X-Shopify-Topic or X-Shopify-Shop-Domain header');
    const deliveryId = request.header('x-shopify-event-id') ?? request.header('x-shopify-webhook-id');
    if (!deliveryId) return refused('missing_header', 'missing X-Shopify-Event-Id and X-Shopify-Webhook-Id headers');
    const compliance = complianceRefusal(topic, shop, verified.json);
    if (compliance) return refused('invalid_payload', compliance);
    // The event id is a header, which the HMAC does not cover: the body's hash dedupes as well.
    const contentKey = `${shop}:${topic}:${await sha256Hex(request.body)}`;
    return { ok: true, value: { eventKey: `${shop}:${topic}:${deliveryId}`, eventType: topic, account: shop, contentKey } };
  },
  parse: (json, identity, request) => parseShopifyWebhook(metaOf(identity, request), json),
  map: mapShopifyWebhook,
  handledEventTypes: handledShopifyTopics,
});
