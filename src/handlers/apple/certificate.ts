import { AsnParser, AsnSerializer } from '@peculiar/asn1-schema';
import { BasicConstraints, Certificate, id_ce_basicConstraints } from '@peculiar/asn1-x509';
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

/** Decodes one DER certificate; throws CertificateError saying what is unsupported or broken. */
export function parseCertificate(der: Uint8Array<ArrayBuffer>): ParsedCertificate {
  let cert: Certificate;
  try {
    cert = AsnParser.parse(der, Certificate);
  } catch {
    throw new CertificateError('not a DER X.509 certificate');
  }
  const tbs = cert.tbsCertificate;
  if (!cert.tbsCertificateRaw) throw new CertificateError('certificate has no signed part');

  const spki = tbs.subjectPublicKeyInfo;
  if (spki.algorithm.algorithm !== ID_EC_PUBLIC_KEY || !spki.algorithm.parameters) {
    throw new CertificateError(`certificate key is not an EC key (${spki.algorithm.algorithm})`);
  }
  const curve = namedCurveOf(new Uint8Array(spki.algorithm.parameters));
  if (!curve) throw new CertificateError('certificate key is on a curve other than P-256 or P-384');

  const hash = ecdsaHashFor(cert.signatureAlgorithm.algorithm);
  if (!hash) throw new CertificateError(`certificate is signed with ${cert.signatureAlgorithm.algorithm}, not ECDSA with SHA-256/384`);

  const extensions = new Set<string>();
  let isCa = false;
  for (const extension of tbs.extensions ?? []) {
    extensions.add(extension.extnID);
    if (extension.extnID === id_ce_basicConstraints) {
      isCa = AsnParser.parse(extension.extnValue.buffer, BasicConstraints).cA;
    }
  }

  return {
    der,
    tbs: new Uint8Array(cert.tbsCertificateRaw),
    subject: new Uint8Array(AsnSerializer.serialize(tbs.subject)),
    issuer: new Uint8Array(AsnSerializer.serialize(tbs.issuer)),
    subjectText: describeName(tbs.subject),
    issuerText: describeName(tbs.issuer),
    notBefore: tbs.validity.notBefore.getTime().getTime(),
    notAfter: tbs.validity.notAfter.getTime().getTime(),
    extensions,
    isCa,
    key: { curve, point: new Uint8Array(spki.subjectPublicKey) },
    signature: { hash, der: new Uint8Array(cert.signatureValue) },
  };
}

const NAME_LABELS: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.6': 'C',
  '2.5.4.8': 'ST',
  '2.5.4.7': 'L',
};

/** `CN=…, O=…` from a parsed name, for error messages only (never compared). */
function describeName(name: Certificate['tbsCertificate']['subject']): string {
  const parts: string[] = [];
  for (const rdn of name) {
    for (const attribute of rdn) {
      const label = NAME_LABELS[attribute.type] ?? attribute.type;
      parts.push(`${label}=${attribute.value.toString()}`);
    }
  }
  return parts.join(', ') || '(empty name)';
}
