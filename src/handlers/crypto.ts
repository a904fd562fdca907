/**
 * Small Web Crypto helpers shared by the providers' verifiers (Node and Workers alike).
 * `crypto.subtle.verify` compares MACs in constant time, so no verifier compares bytes itself.
 */
const encoder = new TextEncoder();

// Workers' types say ArrayBufferLike; encode() always returns a fresh ArrayBuffer.
export const utf8 = (text: string): Uint8Array<ArrayBuffer> => encoder.encode(text) as Uint8Array<ArrayBuffer>;

/** An HMAC-SHA256 key usable for `verifyHmac`, from the secret's bytes. */
export function importHmacKey(secret: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify', 'sign']);
}

/** Constant-time check that `mac` is the HMAC-SHA256 of `data` under `key`. */
export function verifyHmac(key: CryptoKey, mac: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>): Promise<boolean> {
  return crypto.subtle.verify('HMAC', key, mac, data);
}

/** Lowercase or uppercase hex -> bytes; null when it is not hex of whole bytes. */
export function hexToBytes(hex: string): Uint8Array<ArrayBuffer> | null {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return null;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** Standard or URL-safe base64 (padding optional) -> bytes; null when it is not base64. */
export function base64ToBytes(value: string): Uint8Array<ArrayBuffer> | null {
  const normalized = value.trim().replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(normalized)) return null;
  try {
    const binary = atob(normalized.padEnd(Math.ceil(normalized.length / 4) * 4, '='));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** Hex SHA-256 of some bytes (Lemon Squeezy's inbox key is the body's hash). */
export async function sha256Hex(data: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** Parses a body that already passed its signature check; null when it is not JSON. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}
