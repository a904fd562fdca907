import { createHmac } from 'node:crypto';

/** A test-only signing secret (Lemon Squeezy lets the merchant choose 6 to 40 characters). */
export const LEMONSQUEEZY_SECRET = 'ls_test_signing_secret_dub_bridge_01';
/** A second test secret, for rotation tests. */
export const LEMONSQUEEZY_SECRET_NEXT = 'ls_test_signing_secret_dub_bridge_02';

/** Lemon Squeezy's `X-Signature`: hex HMAC-SHA256 of the raw body keyed with the signing secret. */
export function lemonSqueezySignature(body: string | Buffer, secret = LEMONSQUEEZY_SECRET): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** The headers of a Lemon Squeezy webhook request for `body` (event name from `meta.event_name` unless given). */
export function lemonSqueezyHeaders(body: string, options: { secret?: string; eventName?: string } = {}): Record<string, string> {
  const eventName = options.eventName ?? (JSON.parse(body) as { meta: { event_name: string } }).meta.event_name;
  return {
    'content-type': 'application/json',
    'x-event-name': eventName,
    'x-signature': lemonSqueezySignature(body, options.secret),
  };
}
