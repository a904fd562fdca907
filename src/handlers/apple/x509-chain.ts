import type { ParsedCertificate } from './certificate.js';
import { derSignatureToRaw, importEcKey, verifyEcdsa } from './ecdsa.js';

/** Apple's marker on App Store receipt/notification signing certificates (the leaf). */
export const APPLE_LEAF_OID = '1.2.840.113635.100.6.11.1';
/** Apple's marker on the Worldwide Developer Relations intermediate that issues them. */
export const APPLE_INTERMEDIATE_OID = '1.2.840.113635.100.6.2.1';

export type ChainResult = { ok: true; leafKey: CryptoKey } | { ok: false; message: string };

/** Keys of pinned roots and of certificates are imported once per parsed certificate. */
const importedKeys = new WeakMap<ParsedCertificate, Promise<CryptoKey>>();

/** The certificate's public key as a Web Crypto ECDSA key (imported once). */
export function publicKeyOf(cert: ParsedCertificate): Promise<CryptoKey> {
  let key = importedKeys.get(cert);
  if (!key) {
    key = importEcKey(cert.key.point, cert.key.curve);
    importedKeys.set(cert, key);
  }
  return key;
}

/**
 * Checks the App Store chain leaf → intermediate → one of `roots` at time `at` (the payload's
 * signedDate, in ms) and returns the leaf's key. The root the sender put in `x5c` is never
 * consulted: the intermediate must be signed by a pinned root's key and name it as issuer.
 */
export async function verifyAppleChain(
  leaf: ParsedCertificate,
  intermediate: ParsedCertificate,
  roots: readonly ParsedCertificate[],
  at: number,
): Promise<ChainResult> {
  if (!leaf.extensions.has(APPLE_LEAF_OID)) {
    return fail(`the leaf certificate (${leaf.subjectText}) lacks Apple's App Store marker extension ${APPLE_LEAF_OID}`);
  }
  if (!intermediate.extensions.has(APPLE_INTERMEDIATE_OID)) {
    return fail(`the intermediate certificate (${intermediate.subjectText}) lacks Apple's marker extension ${APPLE_INTERMEDIATE_OID}`);
  }
  if (!intermediate.isCa) return fail(`the intermediate certificate (${intermediate.subjectText}) is not a CA (basicConstraints)`);
  if (!sameBytes(leaf.issuer, intermediate.subject) || !(await signedBy(leaf, intermediate))) {
    return fail(`the leaf certificate (${leaf.subjectText}) is not signed by the intermediate in x5c`);
  }

  let root: ParsedCertificate | undefined;
  for (const candidate of roots) {
    if (sameBytes(intermediate.issuer, candidate.subject) && (await signedBy(intermediate, candidate))) {
      root = candidate;
      break;
    }
  }
  if (!root) {
    return fail(
      `the certificate chain does not end in a trusted root: the intermediate (issued by ${intermediate.issuerText}) is signed by none of APPLE_ROOT_CERTS`,
    );
  }

  for (const [role, cert] of [
    ['leaf', leaf],
    ['intermediate', intermediate],
    ['root', root],
  ] as const) {
    if (at < cert.notBefore || at > cert.notAfter) {
      return fail(
        `the ${role} certificate (${cert.subjectText}) is not valid at the payload's signedDate ${new Date(at).toISOString()} ` +
          `(valid ${new Date(cert.notBefore).toISOString()} to ${new Date(cert.notAfter).toISOString()})`,
      );
    }
  }
  return { ok: true, leafKey: await publicKeyOf(leaf) };
}

/** Whether `issuer`'s key verifies `cert`'s signature over its exact TBS bytes. */
async function signedBy(cert: ParsedCertificate, issuer: ParsedCertificate): Promise<boolean> {
  const raw = derSignatureToRaw(cert.signature.der, issuer.key.curve);
  if (!raw) return false;
  try {
    return await verifyEcdsa(await publicKeyOf(issuer), cert.signature.hash, raw, cert.tbs);
  } catch {
    return false;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

const fail = (message: string): ChainResult => ({ ok: false, message });
