import type { Context } from 'hono';
import { BridgeError } from '../errors.js';
import type { ShopifyWebhookMeta } from '../mappers/shopify/index.js';
import { ingestShopify } from '../pipeline/ingest.js';
import type { ShopifyRouter } from '../tenants/shopify-router.js';
import { ack } from './respond.js';
import { reportWebhook } from './report.js';
import type { WebhookDeps } from './webhook-deps.js';

const decoder = new TextDecoder();

function readMeta(c: Context): ShopifyWebhookMeta {
  const topic = c.req.header('x-shopify-topic');
  const shop = c.req.header('x-shopify-shop-domain');
  if (!topic || !shop) throw new BridgeError('missing_header', 'missing X-Shopify-Topic or X-Shopify-Shop-Domain header');
  return {
    topic,
    shop: shop.toLowerCase(),
    eventId: c.req.header('x-shopify-event-id') ?? null,
    webhookId: c.req.header('x-shopify-webhook-id') ?? null,
    apiVersion: c.req.header('x-shopify-api-version') ?? null,
  };
}

/**
 * `POST /webhooks/shopify`: pick the tenant by shop domain, verify the HMAC over the raw bytes
 * with its secret, read topic and ids from the headers, then validate, map and record in one
 * transaction before acknowledging.
 */
export function shopifyWebhook(routeShopify: ShopifyRouter, deps: WebhookDeps) {
  return async (c: Context) => {
    const started = deps.now();
    const route = routeShopify(c.req.header('x-shopify-shop-domain')?.toLowerCase() ?? null);
    const raw = await deps.readBody(c);
    if (raw.byteLength === 0) throw new BridgeError('invalid_payload', 'empty body');
    // Signature before the other headers: a request with a bad HMAC learns nothing else (compliance topics need 401).
    const verified = await route.verify(raw, c.req.header('x-shopify-hmac-sha256') ?? null);
    if (!verified.ok) throw new BridgeError(verified.reason, verified.message);
    const meta = readMeta(c);
    const result = await ingestShopify(meta, verified.value, decoder.decode(raw), deps, route);
    const facts = { source: 'shopify', type: meta.topic, eventId: meta.eventId ?? meta.webhookId, tenant: route.tenant, extra: { shop: meta.shop } } as const;
    reportWebhook(c, deps, facts, result, started);
    deps.afterAck(c, result);
    return ack(c, result);
  };
}
