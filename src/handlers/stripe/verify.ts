import { hexToBytes, importHmacKey, parseJson, utf8, verifyHmac } from '../crypto.js';
import { refused, type Verifier, type VerifierDeps } from '../provider.js';

/** Seconds a signature stays valid, into the past and the future (stripe-node's default). */
export const STRIPE_TOLERANCE_SECONDS = 300;

interface StripeSignatureHeader {
  timestamp: number;
  signatures: Uint8Array<ArrayBuffer>[];
}

/** `t=1492774577,v1=5257a8…,v1=…,v0=…` -> the timestamp and every v1 signature (v0 is ignored). */
function parseHeader(header: string): StripeSignatureHeader | null {
  let timestamp = Number.NaN;
  const signatures: Uint8Array<ArrayBuffer>[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    if (key === 'v1') {
      const bytes = hexToBytes(value);
      if (bytes?.length === 32) signatures.push(bytes);
    }
  }
  return Number.isFinite(timestamp) && signatures.length > 0 ? { timestamp, signatures } : null;
}

/**
 * Verifies `Stripe-Signature` the way stripe-node does (HMAC-SHA256 of `<t>.<raw body>` with the
 * `whsec_…` string's bytes, any v1 matching, 300 s tolerance), with Web Crypto so it is the same
 * code on Node and Workers and the Worker bundle carries no Stripe SDK. The timestamp is checked
 * before any HMAC work, in both directions.
 */
export function createStripeVerifier(secrets: readonly string[], deps: Pick<VerifierDeps, 'now'>): Verifier {
  const keys = Promise.all(secrets.map(async (secret) => ({ secret, key: await importHmacKey(utf8(secret)) })));
  return async (request) => {
    const header = request.header('stripe-signature');
    if (!header) return refused('missing_signature', 'missing Stripe-Signature header');
    const parsed = parseHeader(header);
    if (!parsed) return refused('invalid_signature', 'Stripe-Signature has no t= timestamp or no v1 signature');
    const age = deps.now() / 1000 - parsed.timestamp;
    if (age > STRIPE_TOLERANCE_SECONDS) return refused('invalid_signature', 'Stripe-Signature timestamp is outside the tolerance zone (older than 300 s)');
    if (age < -STRIPE_TOLERANCE_SECONDS) return refused('invalid_signature', 'Stripe-Signature timestamp is in the future beyond the tolerance');
    const signed = utf8(`${parsed.timestamp}.${request.text}`);
    for (const { secret, key } of await keys) {
      for (const signature of parsed.signatures) {
        if (!(await verifyHmac(key, signature, signed))) continue;
        const json = parseJson(request.text);
        return json.ok ? { ok: true, value: { json: json.value, secret } } : refused('malformed_json', 'body is not valid JSON');
      }
    }
    return refused(
      'invalid_signature',
      'Stripe signature did not verify with any configured secret: pass the raw request body, and check STRIPE_WEBHOOK_SECRET is this endpoint’s signing secret',
    );
  };
}
