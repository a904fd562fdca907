import type { Context } from 'hono';
import { BridgeError } from '../errors.js';
import type { ShopifyWebhookMeta } from '../mappers/shopify/index.js';
import { ingestShopify } from '../pipeline/ingest.js';
import type { ShopifyVerifier } from '../verify/shopify.js';
import { ack } from './respond.js';
import type { WebhookDeps } from './webhook-deps.js';

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
 * `POST /webhooks/shopify`: verify the HMAC over the raw bytes, read topic and ids from the
 * headers, then validate, map and record in one transaction before acknowledging.
 */
export function shopifyWebhook(verify: ShopifyVerifier | null, deps: WebhookDeps) {
  return async (c: Context) => {
    if (!verify) {
      throw new BridgeError('source_not_configured', 'Shopify webhooks are not configured: set SHOPIFY_API_SECRET (the app client secret, comma-separated during rotation)');
    }
    const started = deps.now();
    const raw = new Uint8Array(await c.req.arrayBuffer());
    if (raw.byteLength === 0) throw new BridgeError('invalid_payload', 'empty body');
    // Signature first: a request with a bad HMAC learns nothing else (compliance topics need 401).
    const verified = await verify(raw, c.req.header('x-shopify-hmac-sha256') ?? null);
    if (!verified.ok) {
      deps.metrics.rejected({ source: 'shopify', reason: verified.reason });
      throw new BridgeError(verified.reason, verified.message);
    }
    const meta = readMeta(c);
    const result = await ingestShopify(meta, verified.value, new TextDecoder().decode(raw), deps);
    deps.metrics.received({ source: 'shopify', type: meta.topic });
    if (result.duplicate) deps.metrics.duplicate({ source: 'shopify' });
    else if (result.result.outcome === 'ignored') deps.metrics.ignored({ source: 'shopify', type: meta.topic });
    deps.metrics.ackLatency({ source: 'shopify' }, (deps.now() - started) / 1000);
    deps.logger.info(
      {
        source: 'shopify',
        topic: meta.topic,
        shop: meta.shop,
        eventId: meta.eventId ?? meta.webhookId,
        duplicate: result.duplicate,
        ...(result.duplicate ? {} : { outcome: result.result.outcome, queued: result.queued }),
        ...(!result.duplicate && result.result.outcome === 'ignored' ? { reason: result.result.reason } : {}),
      },
      'webhook recorded',
    );
    deps.afterAck(c, result);
    return ack(c, result);
  };
}
