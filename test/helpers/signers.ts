import { createHmac } from 'node:crypto';
import Stripe from 'stripe';

export const STRIPE_SECRET = 'whsec_test_secret_for_dub_bridge_0001';
export const SHOPIFY_SECRET = 'shpss_test_client_secret_for_dub_bridge_0001';

/** Signs a Stripe payload with stripe-node's own test signer. */
export async function stripeSignature(payload: string, options: { secret?: string; timestamp?: number } = {}) {
  return Stripe.webhooks.generateTestHeaderStringAsync({
    payload,
    secret: options.secret ?? STRIPE_SECRET,
    timestamp: options.timestamp ?? Math.floor(Date.now() / 1000),
  });
}

/** Shopify's webhook HMAC: base64 HMAC-SHA256 of the raw body with the app's client secret. */
export function shopifyHmac(payload: string | Buffer, secret = SHOPIFY_SECRET): string {
  return createHmac('sha256', secret).update(payload).digest('base64');
}

export interface ShopifyHeaders {
  topic: string;
  shop?: string;
  eventId?: string | null;
  webhookId?: string;
  secret?: string;
  apiVersion?: string;
}

/** The headers Shopify sends with a webhook, signed over `payload`. */
export function shopifyHeaders(payload: string, h: ShopifyHeaders): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-shopify-topic': h.topic,
    'x-shopify-shop-domain': h.shop ?? 'dub-bridge-test.myshopify.com',
    'x-shopify-hmac-sha256': shopifyHmac(payload, h.secret),
    'x-shopify-api-version': h.apiVersion ?? '2025-07',
    'x-shopify-webhook-id': h.webhookId ?? crypto.randomUUID(),
    'x-shopify-triggered-at': new Date().toISOString(),
  };
  if (h.eventId !== null) headers['x-shopify-event-id'] = h.eventId ?? crypto.randomUUID();
  return headers;
}
