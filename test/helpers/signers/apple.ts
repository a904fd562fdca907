import { execFileSync } from 'node:child_process';
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * An independent App Store signer for tests: a throwaway PKI made with the `openssl` CLI (root
 * P-384 → intermediate P-384 with Apple's marker 1.2.840.113635.100.6.2.1 → leaf P-256 with
 * 1.2.840.113635.100.6.11.1, the shape of Apple's real chain) and ES256 JWS signing with
 * node:crypto, x5c = [leaf, intermediate, root] as Apple sends it. Nothing here calls the bridge.
 */

/** One signing chain: x5c (base64 DER, leaf first) and the leaf's private key. */
export interface AppleTestChain {
  x5c: string[];
  leafKey: KeyObject;
}

export interface AppleTestPki {
  /** The trusted test root (configure it via APPLE_ROOT_CERTS). */
  rootPem: string;
  rootPath: string;
  /** Leaf valid for LEAF_DAYS from creation; intermediate 365 days; root 3650 days. */
  valid: AppleTestChain;
  leafWithoutOid: AppleTestChain;
  intermediateWithoutOid: AppleTestChain;
  intermediateNotCa: AppleTestChain;
  /** Same names as the trusted chain, but under another root key. */
  unknownRoot: AppleTestChain;
}

export const LEAF_DAYS = 30;

const EXTENSIONS = `
[req]
distinguished_name = dn
[dn]
[root]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[intermediate]
basicConstraints = critical,CA:true,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
1.2.840.113635.100.6.2.1 = DER:0500
[intermediate_no_oid]
basicConstraints = critical,CA:true,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
[intermediate_not_ca]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
1.2.840.113635.100.6.2.1 = DER:0500
[leaf]
basicConstraints = CA:false
keyUsage = critical,digitalSignature
1.2.840.113635.100.6.11.1 = DER:0500
[leaf_no_oid]
basicConstraints = CA:false
keyUsage = critical,digitalSignature
`;

const ROOT_NAME = '/C=US/O=dub-bridge tests/OU=Test Certification Authority/CN=Test Root CA - G3';
const INTERMEDIATE_NAME = '/C=US/O=dub-bridge tests/OU=G6/CN=Test Worldwide Developer Relations CA';
const LEAF_NAME = '/C=US/O=dub-bridge tests/CN=Test App Store Receipt Signing';

let cached: AppleTestPki | undefined;

/** Builds the test PKI once per test file (about 20 quick openssl runs). */
export function appleTestPki(): AppleTestPki {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'dub-bridge-apple-pki-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  writeFileSync(join(dir, 'ext.cnf'), EXTENSIONS);
  for (const [name, curve] of [
    ['root', 'P-384'],
    ['other-root', 'P-384'],
    ['intermediate', 'P-384'],
    ['leaf', 'P-256'],
  ]) {
    openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${curve}`, '-out', `${name}.key`);
  }
  for (const root of ['root', 'other-root']) {
    openssl(
      'req',
      '-x509',
      '-new',
      '-key',
      `${root}.key`,
      '-subj',
      ROOT_NAME,
      '-days',
      '3650',
      '-sha384',
      '-config',
      'ext.cnf',
      '-extensions',
      'root',
      '-out',
      `${root}.pem`,
    );
  }
  openssl('req', '-new', '-key', 'intermediate.key', '-subj', INTERMEDIATE_NAME, '-config', 'ext.cnf', '-out', 'intermediate.csr');
  openssl('req', '-new', '-key', 'leaf.key', '-subj', LEAF_NAME, '-config', 'ext.cnf', '-out', 'leaf.csr');

  let serial = 1;
  const issue = (csr: string, issuer: string, section: string, days: number, out: string) => {
    openssl(
      'x509',
      '-req',
      '-in',
      `${csr}.csr`,
      '-CA',
      `${issuer}.pem`,
      '-CAkey',
      `${issuer}.key`,
      '-set_serial',
      String(++serial),
      '-days',
      String(days),
      '-sha384',
      '-extfile',
      'ext.cnf',
      '-extensions',
      section,
      '-out',
      `${out}.pem`,
    );
    return derBase64(readFileSync(join(dir, `${out}.pem`), 'utf8'));
  };
  const leafKey = createPrivateKey(readFileSync(join(dir, 'leaf.key')));
  const root = derBase64(readFileSync(join(dir, 'root.pem'), 'utf8'));
  const otherRoot = derBase64(readFileSync(join(dir, 'other-root.pem'), 'utf8'));
  const chain = (intermediateSection: string, leafSection: string, rootName: string, rootDer: string): AppleTestChain => {
    const label = `${rootName}-${intermediateSection}-${leafSection}`;
    const intermediate = issue('intermediate', rootName, intermediateSection, 365, `${label}-int`);
    // The leaf is issued by the intermediate certificate just made (same key, this chain's cert).
    writeFileSync(join(dir, `${label}-issuer.pem`), readFileSync(join(dir, `${label}-int.pem`)));
    writeFileSync(join(dir, `${label}-issuer.key`), readFileSync(join(dir, 'intermediate.key')));
    const leaf = issue('leaf', `${label}-issuer`, leafSection, LEAF_DAYS, `${label}-leaf`);
    return { x5c: [leaf, intermediate, rootDer], leafKey };
  };

  cached = {
    rootPem: readFileSync(join(dir, 'root.pem'), 'utf8'),
    rootPath: join(dir, 'root.pem'),
    valid: chain('intermediate', 'leaf', 'root', root),
    leafWithoutOid: chain('intermediate', 'leaf_no_oid', 'root', root),
    intermediateWithoutOid: chain('intermediate_no_oid', 'leaf', 'root', root),
    intermediateNotCa: chain('intermediate_not_ca', 'leaf', 'root', root),
    unknownRoot: chain('intermediate', 'leaf', 'other-root', otherRoot),
  };
  return cached;
}

/** PEM → base64 DER (the body of the PEM block). */
function derBase64(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

const b64url = (text: string) => Buffer.from(text).toString('base64url');

export interface SignOptions {
  /** Header `alg` (default ES256). */
  alg?: string;
  /** Replaces the chain's x5c in the header (e.g. two certificates only). */
  x5c?: string[];
}

/** Signs a payload as an App Store compact JWS: ES256 over `header.payload`, signature r||s. */
export function signAppleJws(payload: unknown, chain: AppleTestChain, options: SignOptions = {}): string {
  const header = { alg: options.alg ?? 'ES256', x5c: options.x5c ?? chain.x5c };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const signature = sign('sha256', Buffer.from(input), { key: chain.leafKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

export interface NotificationParts {
  /** The decoded notification (its `data` without signedTransactionInfo). */
  notification: Record<string, any>;
  /** The decoded transaction, signed into data.signedTransactionInfo; omit for TEST notifications. */
  transaction?: Record<string, any> | undefined;
}

export interface BodyOptions extends SignOptions {
  chain?: AppleTestChain;
  /** Chain for signedTransactionInfo (default: the notification's). */
  transactionChain?: AppleTestChain;
  /** signedDate of both payloads (default: now, inside the test PKI's validity). */
  signedDate?: number;
  /** Rewrites the signed transaction JWS (to tamper with it). */
  transactionJws?: (jws: string) => string;
}

/** The request body Apple posts: `{"signedPayload": "<JWS>"}` with the transaction signed inside. */
export function appleNotificationBody(parts: NotificationParts, options: BodyOptions = {}): string {
  const chain = options.chain ?? appleTestPki().valid;
  const signedDate = options.signedDate ?? Date.now();
  const notification = structuredClone(parts.notification);
  notification.signedDate = signedDate;
  if (parts.transaction) {
    const transaction = { ...parts.transaction, signedDate };
    const jws = signAppleJws(transaction, options.transactionChain ?? chain);
    notification.data.signedTransactionInfo = options.transactionJws ? options.transactionJws(jws) : jws;
  }
  return JSON.stringify({ signedPayload: signAppleJws(notification, chain, options) });
}
