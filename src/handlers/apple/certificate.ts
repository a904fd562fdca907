import { bitStringOf, booleanOf, DerError, DerReader, oidOf, readDer, smallIntegerOf, stringOf, TAG, timeOf, type Tlv } from './der.js';
import { ecdsaHashFor, namedCurveOf, type EcCurve, type EcdsaHash } from './ecdsa.js';

/**
 * The parts of an X.509 certificate the App Store chain check reads, decoded once. Only EC keys
 * (P-256, P-384) with ECDSA signatures exist in Apple's chains, so anything else fails to parse.
 */
export interface ParsedCertificate {
  /** The exact DER bytes (for fingerprints and messages). */
  der: Uint8Array<ArrayBuffer>;
  /** The signed part exactly as received: re-encoding could change bytes and break the signature. */
  tbs: Uint8Array<ArrayBuffer>;
  /** DER of the subject and issuer names, compared bytewise to link a certificate to its issuer. */
  subject: Uint8Array<ArrayBuffer>;
  issuer: Uint8Array<ArrayBuffer>;
  /** Readable subject and issuer for messages: `CN=Apple Root CA - G3, …` (never compared). */
  subjectText: string;
  issuerText: string;
  notBefore: number;
  notAfter: number;
  /** OIDs of every extension present (Apple marks its certificates with private extensions). */
  extensions: ReadonlySet<string>;
  /** basicConstraints cA. */
  isCa: boolean;
  /** The subject's public key: curve and uncompressed point (`04 || x || y`). */
  key: { curve: EcCurve; point: Uint8Array<ArrayBuffer> };
  /** How the issuer signed this certificate: the hash and the DER-encoded ECDSA signature. */
  signature: { hash: EcdsaHash; der: Uint8Array<ArrayBuffer> };
}

export class CertificateError extends Error {
  override readonly name = 'CertificateError';
}

const ID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const ID_CE_BASIC_CONSTRAINTS = '2.5.29.19';
/** Uncompressed point length per curve: 0x04 then x and y. */
const POINT_BYTES: Record<EcCurve, number> = { 'P-256': 65, 'P-384': 97 };

/**
 * Decodes one DER certificate (RFC 5280 4.1, strictly: nothing may follow it or any field);
 * throws CertificateError saying what is unsupported or broken.
 */
export function parseCertificate(der: Uint8Array<ArrayBuffer>): ParsedCertificate {
  try {
    return parse(der);
  } catch (error) {
    if (error instanceof DerError) throw new CertificateError(`not a DER X.509 certificate (${error.message})`);
    throw error;
  }
}

function parse(der: Uint8Array<ArrayBuffer>): ParsedCertificate {
  const cert = inside(readDer(der, TAG.SEQUENCE, 'certificate'), 'certificate');
  const tbsTlv = cert.read(TAG.SEQUENCE, 'tbsCertificate');
  const outerAlgorithm = cert.read(TAG.SEQUENCE, 'signatureAlgorithm');
  const signatureValue = bitStringOf(cert.read(TAG.BIT_STRING, 'signatureValue'));
  cert.end();

  const tbs = inside(tbsTlv, 'tbsCertificate');
  const versionTlv = tbs.optional(TAG.explicit(0), 'version');
  const version = versionTlv ? smallIntegerOf(readDer(versionTlv.value, TAG.INTEGER, 'version')) : 0;
  if (version > 2) throw new CertificateError(`certificate has unknown version ${version + 1}`);
  if (tbs.read(TAG.INTEGER, 'serialNumber').value.length === 0) throw new DerError('serialNumber is empty');
  // RFC 5280 4.1.1.2: the signed copy of the algorithm must match the unsigned outer one.
  if (!sameBytes(tbs.read(TAG.SEQUENCE, 'signature').raw, outerAlgorithm.raw)) {
    throw new CertificateError('certificate signature algorithm differs from the one in its signed part');
  }
  const issuer = tbs.read(TAG.SEQUENCE, 'issuer');
  const validity = inside(tbs.read(TAG.SEQUENCE, 'validity'), 'validity');
  const notBefore = timeOf(validity.next('notBefore'));
  const notAfter = timeOf(validity.next('notAfter'));
  validity.end();
  const subject = tbs.read(TAG.SEQUENCE, 'subject');
  const spki = inside(tbs.read(TAG.SEQUENCE, 'subjectPublicKeyInfo'), 'subjectPublicKeyInfo');
  const keyAlgorithm = algorithmOf(spki.read(TAG.SEQUENCE, 'algorithm'));
  const publicKey = bitStringOf(spki.read(TAG.BIT_STRING, 'subjectPublicKey'));
  spki.end();
  tbs.optional(TAG.implicit(1), 'issuerUniqueID'); // allowed, unused
  tbs.optional(TAG.implicit(2), 'subjectUniqueID');
  const extensionsTlv = tbs.optional(TAG.explicit(3), 'extensions');
  tbs.end();
  if (extensionsTlv && version < 2) throw new CertificateError(`certificate version ${version + 1} cannot carry extensions`);

  if (keyAlgorithm.oid !== ID_EC_PUBLIC_KEY || !keyAlgorithm.parameters) {
    throw new CertificateError(`certificate key is not an EC key (${keyAlgorithm.oid})`);
  }
  const curve = namedCurveOf(keyAlgorithm.parameters);
  if (!curve) throw new CertificateError('certificate key is on a curve other than P-256 or P-384');
  const point = publicKey.bytes;
  if (publicKey.unusedBits !== 0 || point.length !== POINT_BYTES[curve] || point[0] !== 0x04) {
    throw new CertificateError(`certificate key is not an uncompressed ${curve} point`);
  }

  const signatureOid = algorithmOf(outerAlgorithm).oid;
  const hash = ecdsaHashFor(signatureOid);
  if (!hash) throw new CertificateError(`certificate is signed with ${signatureOid}, not ECDSA with SHA-256/384`);
  if (signatureValue.unusedBits !== 0) throw new DerError('signatureValue is not whole octets');

  const { extensions, isCa } = extensionsTlv ? extensionsOf(extensionsTlv) : { extensions: new Set<string>(), isCa: false };
  // Copies, as before: nothing handed out aliases the caller's buffer or another field.
  return {
    der,
    tbs: copy(tbsTlv.raw),
    subject: copy(subject.raw),
    issuer: copy(issuer.raw),
    subjectText: describeName(subject),
    issuerText: describeName(issuer),
    notBefore,
    notAfter,
    extensions,
    isCa,
    key: { curve, point: copy(point) },
    signature: { hash, der: copy(signatureValue.bytes) },
  };
}

/** AlgorithmIdentifier: the OID and the raw parameters TLV, if any. */
function algorithmOf(tlv: Tlv): { oid: string; parameters: Uint8Array<ArrayBuffer> | undefined } {
  const algorithm = inside(tlv, 'AlgorithmIdentifier');
  const oid = oidOf(algorithm.read(TAG.OID, 'algorithm'));
  const parameters = algorithm.done ? undefined : algorithm.next('parameters').raw;
  algorithm.end();
  return { oid, parameters };
}

/** `[3] EXPLICIT SEQUENCE SIZE (1..MAX) OF Extension`: the OIDs, and cA from basicConstraints. */
function extensionsOf(tlv: Tlv): { extensions: Set<string>; isCa: boolean } {
  const list = inside(readDer(tlv.value, TAG.SEQUENCE, 'extensions'), 'extensions');
  if (list.done) throw new DerError('extensions is empty');
  const extensions = new Set<string>();
  let isCa = false;
  while (!list.done) {
    const extension = inside(list.read(TAG.SEQUENCE, 'extension'), 'extension');
    const id = oidOf(extension.read(TAG.OID, 'extnID'));
    const critical = extension.optional(TAG.BOOLEAN, 'critical');
    if (critical) booleanOf(critical);
    const value = extension.read(TAG.OCTET_STRING, 'extnValue').value;
    extension.end();
    // RFC 5280 4.2: at most one of each; a repeat could make two readers see different values.
    if (extensions.has(id)) throw new CertificateError(`certificate repeats extension ${id}`);
    extensions.add(id);
    if (id !== ID_CE_BASIC_CONSTRAINTS) continue;
    const constraints = inside(readDer(value, TAG.SEQUENCE, 'basicConstraints'), 'basicConstraints');
    const ca = constraints.optional(TAG.BOOLEAN, 'cA');
    isCa = ca ? booleanOf(ca) : false;
    const pathLength = constraints.optional(TAG.INTEGER, 'pathLenConstraint');
    if (pathLength) smallIntegerOf(pathLength);
    constraints.end();
  }
  return { extensions, isCa };
}

const NAME_LABELS: Record<string, string> = { '2.5.4.3': 'CN', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.6': 'C', '2.5.4.8': 'ST', '2.5.4.7': 'L' };

/**
 * `CN=…, O=…` from a Name (SEQUENCE OF SET OF { type, value }), for messages only (never
 * compared). Unknown types show as their OID, non-string values as `#hex` (RFC 4514), and
 * control characters as U+FFFD so a hostile name cannot forge log lines.
 */
function describeName(name: Tlv): string {
  const parts: string[] = [];
  const rdns = inside(name, 'name');
  while (!rdns.done) {
    const rdn = inside(rdns.read(TAG.SET, 'relative distinguished name'), 'relative distinguished name');
    if (rdn.done) throw new DerError('a relative distinguished name is empty');
    while (!rdn.done) {
      const attribute = inside(rdn.read(TAG.SEQUENCE, 'name attribute'), 'name attribute');
      const type = oidOf(attribute.read(TAG.OID, 'attribute type'));
      const value = attribute.next('attribute value');
      attribute.end();
      const text = stringOf(value) ?? `#${Array.from(value.raw, (b) => b.toString(16).padStart(2, '0')).join('')}`;
      parts.push(`${NAME_LABELS[type] ?? type}=${text.replace(/\p{Cc}/gu, '\ufffd')}`);
    }
  }
  return parts.join(', ') || '(empty name)';
}

const inside = (tlv: Tlv, what: string) => new DerReader(tlv.value, what);
const copy = (view: Uint8Array<ArrayBuffer>) => new Uint8Array(view);
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i]);
