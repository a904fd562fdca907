import { base64ToBytes, importHmacKey, parseJson, utf8, verifyHmac } from '../crypto.js';
import { refused, type Verifier } from '../provider.js';

/**
 * Verifies `X-Shopify-Hmac-Sha256` (base64 HMAC-SHA256 of the raw body with the app's client
 * secret) with Web Crypto, trying every configured secret (rotation). Returns the parsed JSON and
 * the secret that matched.
 */
export function createShopifyVerifier(secrets: readonly string[]): Verifier {
  const keys = Promise.all(secrets.map(async (secret) => ({ secret, key: await importHmacKey(utf8(secret)) })));
  return async (request) => {
    const header = request.header('x-shopify-hmac-sha256');
    if (!header) return refused('missing_signature', 'missing X-Shopify-Hmac-Sha256 header');
    const signature = base64ToBytes(header);
    if (signature?.length !== 32) return refused('invalid_signature', 'X-Shopify-Hmac-Sha256 is not a base64 SHA-256 HMAC');
    for (const { secret, key } of await keys) {
      if (!(await verifyHmac(key, signature, request.body))) continue;
      const json = parseJson(request.text);
      return json.ok ? { ok: true, value: { json: json.value, secret } } : refused('malformed_json', 'body is not valid JSON');
    }
    return refused('invalid_signature', 'Shopify HMAC did not verify with any configured SHOPIFY_API_SECRET');
  };
}
