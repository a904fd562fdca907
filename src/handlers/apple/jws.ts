import { base64ToBytes, utf8 } from '../crypto.js';
import { CertificateError, parseCertificate, type ParsedCertificate } from './certificate.js';
import { verifyEcdsa } from './ecdsa.js';
import { verifyAppleChain } from './x509-chain.js';

type JsonObject = Record<string, unknown>;
export type JwsResult = { ok: true; payload: JsonObject } | { ok: false; message: string };

interface CompactJws {
  header: JsonObject;
  payload: JsonObject;
  signingInput: Uint8Array<ArrayBuffer>;
  signature: Uint8Array<ArrayBuffer>;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
// Both options spelled out: the Workers type library requires ignoreBOM too.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Splits a compact JWS and decodes its JSON header and payload; nothing is verified here. */
export function decodeCompactJws(token: string): { ok: true; value: CompactJws } | { ok: false; message: string } {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part))) {
    return { ok: false, message: 'not a compact JWS (three base64url parts separated by dots)' };
  }
  const header = jsonObjectOf(parts[0]!);
  const payload = jsonObjectOf(parts[1]!);
  const signature = base64ToBytes(parts[2]!);
  if (!header || !payload || !signature) return { ok: false, message: 'the JWS header or payload is not base64url JSON' };
  return { ok: true, value: { header, payload, signingInput: utf8(`${parts[0]}.${parts[1]}`), signature } };
}

/** The decoded payload of a JWS that was verified earlier (stored bodies); null when unreadable. */
export function jwsPayloadOf(token: string): JsonObject | null {
  const decoded = decodeCompactJws(token);
  return decoded.ok ? decoded.value.payload : null;
}

/**
 * Verifies one App Store JWS (a notification's signedPayload or a signedTransactionInfo): ES256,
 * `x5c` = [leaf, intermediate, root] whose leaf and intermediate chain to one of `roots` and are
 * valid at the payload's `signedDate` (the current time when a payload has none, as Apple's own
 * library does), and the signature made by the leaf's key. Returns the payload.
 */
export async function verifyAppleJws(token: string, roots: readonly ParsedCertificate[], now: () => number): Promise<JwsResult> {
  const decoded = decodeCompactJws(token);
  if (!decoded.ok) return decoded;
  const { header, payload, signingInput, signature } = decoded.value;
  if (header.alg !== 'ES256') return fail(`the JWS alg is ${JSON.stringify(header.alg)}; App Store payloads are ES256`);

  const x5c = header.x5c;
  if (!Array.isArray(x5c) || x5c.length !== 3 || !x5c.every((entry) => typeof entry === 'string')) {
    const count = Array.isArray(x5c) ? `${x5c.length} entries` : 'none';
    return fail(`the JWS x5c header must hold exactly 3 certificates (leaf, intermediate, root); it has ${count}`);
  }
  let leaf: ParsedCertificate;
  let intermediate: ParsedCertificate;
  try {
    leaf = certificateFrom(x5c[0] as string, 'leaf');
    intermediate = certificateFrom(x5c[1] as string, 'intermediate');
  } catch (error) {
    if (error instanceof CertificateError) return fail(error.message);
    throw error;
  }

  const signedDate = payload.signedDate ?? now();
  if (typeof signedDate !== 'number' || !Number.isSafeInteger(signedDate)) return fail('the payload signedDate is not a time in milliseconds');

  const chain = await verifyAppleChain(leaf, intermediate, roots, signedDate);
  if (!chain.ok) return chain;
  if (leaf.key.curve !== 'P-256' || signature.length !== 64) return fail('the JWS signature is not an ES256 (P-256) signature');
  const valid = await verifyEcdsa(chain.leafKey, 'SHA-256', signature, signingInput);
  return valid ? { ok: true, payload } : fail("the JWS signature does not verify with the leaf certificate's key");
}

function certificateFrom(entry: string, role: string): ParsedCertificate {
  const der = base64ToBytes(entry);
  if (!der) throw new CertificateError(`the x5c ${role} certificate is not base64`);
  try {
    return parseCertificate(der);
  } catch (error) {
    if (error instanceof CertificateError) throw new CertificateError(`the x5c ${role} certificate: ${error.message}`);
    throw error;
  }
}

function jsonObjectOf(part: string): JsonObject | null {
  const bytes = base64ToBytes(part);
  if (!bytes) return null;
  try {
    const value: unknown = JSON.parse(decoder.decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : null;
  } catch {
    return null;
  }
}

const fail = (message: string): JwsResult => ({ ok: false, message });
