import { hexToBytes, importHmacKey, parseJson, sha256Hex, utf8, verifyHmac } from '../crypto.js';
import { refused, type Checked, type Identity, type Verified, type Verifier, type WebhookRequest } from '../provider.js';

/**
 * Lemon Squeezy's verifier: `X-Signature` is the hex HMAC-SHA256 of the raw body keyed with the
 * webhook's signing secret. Every configured secret is tried (rotation). Lemon Squeezy signs no
 * timestamp, so there is no replay window: the inbox key (the body's hash) dedupes a replay instead.
 */
export function createLemonSqueezyVerifier(secrets: readonly string[]): Verifier {
  const keys = secrets.map((secret) => ({ secret, key: importHmacKey(utf8(secret)) }));
  return async (request: WebhookRequest): Promise<Checked<Verified>> => {
    const header = request.header('x-signature')?.trim();
    if (!header) return refused('missing_signature', 'missing X-Signature header');
    const mac = header.length === 64 ? hexToBytes(header) : null;
    if (!mac) return refused('missing_signature', 'malformed X-Signature header: expected 64 hex characters (HMAC-SHA256 of the raw body)');

    for (const { secret, key } of keys) {
      if (await verifyHmac(await key, mac, request.body)) {
        const json = parseJson(request.text);
        if (!json.ok) return refused('malformed_json', 'body is not valid JSON');
        return { ok: true, value: { json: json.value, secret } };
      }
    }
    return refused(
      'invalid_signature',
      "X-Signature did not verify with any configured secret (is LEMONSQUEEZY_WEBHOOK_SECRET the webhook's signing secret, and is the raw body passed unchanged?)",
    );
  };
}

/**
 * Type from `X-Event-Name` (falling back to `meta.event_name`); a body that names another event
 * than its header is refused. Lemon Squeezy sends no event id and a retry resends the same bytes,
 * so the inbox key is `<event name>:<sha256 of the raw body>`.
 */
export async function identifyLemonSqueezy(verified: Verified, request: WebhookRequest): Promise<Checked<Identity>> {
  const meta = (verified.json as { meta?: { event_name?: unknown } } | null)?.meta;
  const bodyName = typeof meta?.event_name === 'string' && meta.event_name !== '' ? meta.event_name : null;
  const headerName = request.header('x-event-name')?.trim() || null;
  if (headerName && bodyName && headerName !== bodyName) {
    return refused('invalid_payload', `X-Event-Name ${headerName} does not match meta.event_name ${bodyName}`);
  }
  const eventType = headerName ?? bodyName;
  if (!eventType) return refused('invalid_payload', 'Lemon Squeezy webhook names no event (no X-Event-Name header or meta.event_name)');
  return { ok: true, value: { eventKey: `${eventType}:${await sha256Hex(request.body)}`, eventType, account: null } };
}
