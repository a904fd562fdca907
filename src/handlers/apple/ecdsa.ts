/**
 * ECDSA over Web Crypto for the App Store chain: curve and hash identification from their OIDs,
 * and the DER → raw signature conversion X.509 needs (Web Crypto takes `r || s`, certificates
 * carry `SEQUENCE { INTEGER r, INTEGER s }`).
 */
export type EcCurve = 'P-256' | 'P-384';
export type EcdsaHash = 'SHA-256' | 'SHA-384';

/** Byte length of one coordinate (and of r and s) per curve. */
const COORDINATE_BYTES: Record<EcCurve, number> = { 'P-256': 32, 'P-384': 48 };

/** DER OIDs of the named curves (the EC key's algorithm parameters). */
const CURVE_OIDS: ReadonlyArray<[EcCurve, string]> = [
  ['P-256', '06082a8648ce3d030107'], // 1.2.840.10045.3.1.7 prime256v1
  ['P-384', '06052b81040022'], // 1.3.132.0.34 secp384r1
];

const SIGNATURE_HASHES: Record<string, EcdsaHash> = {
  '1.2.840.10045.4.3.2': 'SHA-256', // ecdsa-with-SHA256
  '1.2.840.10045.4.3.3': 'SHA-384', // ecdsa-with-SHA384
};

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** The curve named by an EC key's DER parameters; null for any other curve. */
export function namedCurveOf(parameters: Uint8Array): EcCurve | null {
  const encoded = hex(parameters);
  return CURVE_OIDS.find(([, oid]) => oid === encoded)?.[0] ?? null;
}

/** The hash of an X.509 signatureAlgorithm OID when it is ECDSA with SHA-256 or SHA-384. */
export function ecdsaHashFor(oid: string): EcdsaHash | null {
  return Object.hasOwn(SIGNATURE_HASHES, oid) ? SIGNATURE_HASHES[oid]! : null;
}

/** Imports an uncompressed EC point as a Web Crypto ECDSA verification key. */
export function importEcKey(point: Uint8Array<ArrayBuffer>, curve: EcCurve): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', point, { name: 'ECDSA', namedCurve: curve }, false, ['verify']);
}

/** Checks an ECDSA signature in raw `r || s` form. */
export function verifyEcdsa(key: CryptoKey, hash: EcdsaHash, signature: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>): Promise<boolean> {
  return crypto.subtle.verify({ name: 'ECDSA', hash }, key, signature, data);
}

/**
 * `SEQUENCE { INTEGER r, INTEGER s }` → `r || s`, each left-padded to the signer's curve size.
 * Null when the bytes are not exactly that structure or an integer does not fit the curve.
 */
export function derSignatureToRaw(der: Uint8Array, curve: EcCurve): Uint8Array<ArrayBuffer> | null {
  const size = COORDINATE_BYTES[curve];
  const sequence = readTlv(der, 0, 0x30);
  if (!sequence || sequence.end !== der.length) return null;
  const r = readTlv(der, sequence.start, 0x02);
  const s = r && readTlv(der, r.end, 0x02);
  if (!r || !s || s.end !== sequence.end) return null;
  const raw = new Uint8Array(size * 2);
  for (const [index, integer] of [r, s].entries()) {
    let bytes = der.subarray(integer.start, integer.end);
    if ((bytes[0]! & 0x80) !== 0) return null; // negative: not an ECDSA signature
    // A positive INTEGER carries a leading zero when its top bit is set.
    while (bytes.length > 1 && bytes[0] === 0) bytes = bytes.subarray(1);
    if (bytes.length > size) return null;
    raw.set(bytes, index * size + size - bytes.length);
  }
  return raw;
}

/** One DER tag-length-value at `offset` with the expected tag (short or one/two-byte long lengths). */
function readTlv(bytes: Uint8Array, offset: number, tag: number): { start: number; end: number } | null {
  if (bytes[offset] !== tag || offset + 2 > bytes.length) return null;
  let length = bytes[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets < 1 || octets > 2 || start + octets > bytes.length) return null;
    length = 0;
    for (let i = 0; i < octets; i++) length = (length << 8) | bytes[start + i]!;
    start += octets;
  }
  const end = start + length;
  return length > 0 && end <= bytes.length ? { start, end } : null;
}
