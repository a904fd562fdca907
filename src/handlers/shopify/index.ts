import * as z from 'zod';
import { handledShopifyTopics, mapShopifyWebhook, parseShopifyWebhook, type ShopifyWebhook, type ShopifyWebhookMeta } from '../../mappers/shopify/index.js';
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
  apiSecret: secretOrList(z.string().trim().min(1)).optional(),
});

export default defineProvider<ShopifyWebhook>({
  source: 'shopify',
  label: 'Shopify',
  secretVariable: 'SHOPIFY_API_SECRET',
  secretHint: 'the app client secret, comma-separated during rotation',
  secret: z.string().trim().min(1),
  legacyTenantBlock: { key: 'shopify', schema: legacyTenantBlock, secretField: 'apiSecret', accountsField: 'shops' },
  createVerifier: (secrets) => createShopifyVerifier(secrets),
  accountLogField: 'shop',
  accountFromHeaders: (request) => request.header('x-shopify-shop-domain')?.toLowerCase() ?? null,
  identify(_verified, request) {
    const topic = request.header('x-shopify-topic');
    const shop = request.header('x-shopify-shop-domain')?.toLowerCase();
    if (!topic || !shop) return refused('missing_header', 'missing X-Shopify-Topic or X-Shopify-Shop-Domain header');
    const deliveryId = request.header('x-shopify-event-id') ?? request.header('x-shopify-webhook-id');
    if (!deliveryId) return refused('missing_header', 'missing X-Shopify-Event-Id and X-Shopify-Webhook-Id headers');
    return { ok: true, value: { eventKey: `${shop}:${topic}:${deliveryId}`, eventType: topic, account: shop } };
  },
  parse: (json, identity, request) => parseShopifyWebhook(metaOf(identity, request), json),
  map: mapShopifyWebhook,
  handledEventTypes: handledShopifyTopics,
});
