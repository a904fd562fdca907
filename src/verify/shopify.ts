import { rejected, type VerifyResult } from './result.js';

const encoder = new TextEncoder();

function decodeBase64(value: string): Uint8Array<ArrayBuffer> | null {
  try {
    const binary = atob(value.trim());
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/**
 * Verifies `X-Shopify-Hmac-Sha256` (base64 HMAC-SHA256 of the raw body with the app's client
 * secret) with Web Crypto. `crypto.subtle.verify` compares in constant time and runs on Node and
 * Workers alike. Every configured secret is tried (rotation). Returns the parsed JSON.
 */
export function createShopifyVerifier(secrets: readonly string[]) {
  const keys = Promise.all(
    secrets.map((secret) =>
      crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']),
    ),
  );

  return async function verifyShopify(rawBody: Uint8Array<ArrayBuffer>, hmacHeader: string | null): Promise<VerifyResult<unknown>> {
    if (!hmacHeader) return rejected('missing_signature', 'missing X-Shopify-Hmac-Sha256 header');
    const signature = decodeBase64(hmacHeader);
    if (!signature || signature.length !== 32) return rejected('invalid_signature', 'X-Shopify-Hmac-Sha256 is not a base64 SHA-256 HMAC');
    let verified = false;
    for (const key of await keys) {
      if (await crypto.subtle.verify('HMAC', key, signature, rawBody)) {
        verified = true;
        break;
      }
    }
    if (!verified) return rejected('invalid_signature', 'Shopify HMAC did not verify with any configured SHOPIFY_API_SECRET');
    try {
      return { ok: true, value: JSON.parse(new TextDecoder().decode(rawBody)) };
    } catch {
      return rejected('malformed_json', 'body is not valid JSON');
    }
  };
}

export type ShopifyVerifier = ReturnType<typeof createShopifyVerifier>;
