import { describe, expect, it } from 'vitest';
import { base64ToBytes } from '../crypto.js';
import { CertificateError, parseCertificate } from './certificate.js';
import { bitStringOf, booleanOf, DerError, DerReader, oidOf, readDer, smallIntegerOf, stringOf, TAG, timeOf } from './der.js';
import { APPLE_ROOT_CA_G3 } from './root-certificates.js';

/** Test-side DER encoder, independent of the reader: tag, minimal length, contents. */
const bytes = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
const lengthOctets = (n: number) =>
  n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
const tlv = (tag: number, ...parts: Uint8Array[]) => {
  const value = parts.flatMap((part) => [...part]);
  return Uint8Array.from([tag, ...lengthOctets(value.length), ...value]);
};
const seq = (...parts: Uint8Array[]) => tlv(TAG.SEQUENCE, ...parts);
const ascii = (text: string) => new TextEncoder().encode(text);
/** The one TLV that `hex` must consist of, read with its own tag. */
const der = (hex: string) => readDer(bytes(hex), bytes(hex)[0] ?? 0, 'value');

describe('DER lengths and bounds', () => {
  it('reads short and minimal long-form lengths', () => {
    expect(der('0403010203').value).toEqual(bytes('010203'));
    expect(der(`048180${'aa'.repeat(128)}`).value).toHaveLength(128);
    expect(der(`04820100${'bb'.repeat(256)}`).value).toHaveLength(256);
  });

  it.each([
    ['an indefinite length (BER)', '30800000', 'indefinite length'],
    ['a length of 5 octets', '04850000000001ff', 'more than 4 octets'],
    ['the reserved length octet 0xFF', '04ff', 'more than 4 octets'],
    ['a long form for a short length', '0481050102030405', 'non-minimal length'],
    ['a long form with a leading zero octet', `04820080${'00'.repeat(128)}`, 'non-minimal length'],
    ['a multi-byte tag', '1f810100', 'multi-byte tag'],
    ['no bytes at all', '', 'missing'],
    ['a tag without length', '30', 'truncated'],
    ['long-form length octets cut short', '308201', 'truncated'],
    ['contents cut short', '0405010203', 'runs past the end of the input'],
    ['a 4-octet length far beyond the buffer', '0484ffffffff00', 'runs past the end of the input'],
    ['trailing bytes', '05000500', 'unexpected data at the end of the input'],
  ])('refuses %s', (_name, hex, message) => expect(() => der(hex)).toThrow(message));

  it('bounds a child by its parent, not by the buffer', () => {
    // A 3-byte SEQUENCE whose OCTET STRING claims 4 bytes; the 4th exists, but after the parent.
    const parent = new DerReader(bytes('3003040401020304'), 'input').read(TAG.SEQUENCE, 'parent');
    expect(() => new DerReader(parent.value, 'parent').next('child')).toThrow("child's length 4 runs past the end of parent");
  });

  it('reads OPTIONAL fields and the explicit [0] version and [3] extensions tags', () => {
    const tbs = new DerReader(seq(tlv(TAG.explicit(0), bytes('020102')), bytes('020105'), tlv(TAG.explicit(3), seq())).subarray(2), 'tbs');
    expect(smallIntegerOf(readDer(tbs.optional(TAG.explicit(0), 'version')!.value, TAG.INTEGER, 'version'))).toBe(2);
    expect(tbs.optional(TAG.explicit(0), 'version')).toBeUndefined();
    expect(() => tbs.read(TAG.SEQUENCE, 'issuer')).toThrow('issuer: expected tag 0x30, found 0x02');
    tbs.next('serial');
    expect(tbs.read(TAG.explicit(3), 'extensions').value).toEqual(bytes('3000'));
    expect(tbs.done).toBe(true);
    expect(() => tbs.next('more')).toThrow('more is missing from tbs');
  });

  it('walks 20,000 nested SEQUENCEs level by level (no recursion); as a certificate they are refused', () => {
    const depth = 20_000;
    const lengths = [0]; // innermost first: each level holds the one inside plus its header
    for (let i = 1; i < depth; i++) lengths.push(lengths[i - 1]! + 1 + lengthOctets(lengths[i - 1]!).length);
    const input = Uint8Array.from(lengths.reverse().flatMap((length) => [TAG.SEQUENCE, ...lengthOctets(length)]));
    let level = readDer(input, TAG.SEQUENCE, 'outer');
    let count = 1;
    for (; level.value.length > 0; count++) level = readDer(level.value, TAG.SEQUENCE, 'inner');
    expect(count).toBe(depth);
    expect(() => parseCertificate(input)).toThrow(CertificateError);
  });
});

describe('DER values', () => {
  it.each([
    ['060a2a864886f76364060b01', '1.2.840.113635.100.6.11.1'], // Apple's App Store leaf marker
    ['060a2a864886f76364060201', '1.2.840.113635.100.6.2.1'],
    ['0603551d13', '2.5.29.19'],
    ['06052b81040022', '1.3.132.0.34'],
    ['0603883703', '2.999.3'], // the first subidentifier itself multi-byte (2 × 40 + 999)
    ['060a0992268993f22c640119', '0.9.2342.19200300.100.1.25'],
    ['06146983f09da7ebcfdee0c7a1a7b2c0948cc8f9d776', '2.25.329800735698586629295641978511506172918'], // 128-bit UUID arc
  ])('OID %s is %s (encodings from openssl asn1parse -genstr)', (hex, oid) => expect(oidOf(der(hex))).toBe(oid));

  it.each([
    ['empty', '0600'],
    ['cut inside its last arc', '06022a86'],
    ['padded with a leading 0x80 octet', '06032a8001'],
    ['an arc over 20 octets', `0616${'81'.repeat(21)}01`],
    ['another type', '0403551d13'],
  ])('refuses an OID that is %s', (_name, hex) => expect(() => oidOf(der(hex))).toThrow(DerError));

  const time = (tag: number, text: string) => timeOf(readDer(tlv(tag, ascii(text)), tag, 'time'));
  it('UTCTime: YY < 50 is 20YY, else 19YY (RFC 5280 4.1.2.5.1); GeneralizedTime takes the year as written', () => {
    expect(time(TAG.UTC_TIME, '490101000000Z')).toBe(Date.parse('2049-01-01T00:00:00Z'));
    expect(time(TAG.UTC_TIME, '500101000000Z')).toBe(Date.parse('1950-01-01T00:00:00Z'));
    expect(time(TAG.UTC_TIME, '240229235959Z')).toBe(Date.parse('2024-02-29T23:59:59Z'));
    expect(time(TAG.GENERALIZED_TIME, '20500101000000Z')).toBe(Date.parse('2050-01-01T00:00:00Z'));
    expect(time(TAG.GENERALIZED_TIME, '00490601120000Z')).toBe(Date.parse('0049-06-01T12:00:00Z'));
  });

  it.each([
    [TAG.UTC_TIME, '230229120000Z'],
    [TAG.UTC_TIME, '241301000000Z'],
    [TAG.UTC_TIME, '240101240000Z'],
    [TAG.UTC_TIME, '240101000060Z'],
    [TAG.UTC_TIME, '2401010000Z'],
    [TAG.UTC_TIME, '240101000000+0000'],
    [TAG.UTC_TIME, '24O101000000Z'],
    [TAG.GENERALIZED_TIME, '20240101000000.5Z'],
    [TAG.GENERALIZED_TIME, '240101000000Z'],
    [TAG.OCTET_STRING, '240101000000Z'],
  ])('refuses the time (tag %i) %s', (tag, text) => expect(() => time(tag, text)).toThrow(DerError));

  it('BIT STRING: an unused-bits octet 0–7 with zero padding bits', () => {
    expect(bitStringOf(der('030300abcd'))).toEqual({ bytes: bytes('abcd'), unusedBits: 0 });
    expect(bitStringOf(der('030204f0'))).toEqual({ bytes: bytes('f0'), unusedBits: 4 });
    for (const hex of ['0300', '030108', '030103', '030204f1', '03020800']) expect(() => bitStringOf(der(hex)), hex).toThrow(DerError);
  });

  it('BOOLEAN is 0x00 or 0xFF; a small INTEGER is non-negative and minimal', () => {
    expect([booleanOf(der('0101ff')), booleanOf(der('010100'))]).toEqual([true, false]);
    for (const hex of ['010101', '0100', '010200ff']) expect(() => booleanOf(der(hex)), hex).toThrow(DerError);
    expect([smallIntegerOf(der('020102')), smallIntegerOf(der('02020080'))]).toEqual([2, 128]);
    for (const hex of ['0200', '020180', '02020005', '02070100000000000000']) expect(() => smallIntegerOf(der(hex)), hex).toThrow(DerError);
  });

  it('strings: UTF8String, PrintableString and IA5String decode; other types are null; bad encodings throw', () => {
    expect([stringOf(der('0c02c3a9')), stringOf(der('13025553')), stringOf(der('1603612e62'))]).toEqual(['é', 'US', 'a.b']);
    expect(stringOf(der('1e020041'))).toBeNull(); // BMPString
    expect(() => stringOf(der('0c01ff'))).toThrow('not valid UTF-8');
    expect(() => stringOf(der('1301e9'))).toThrow('non-ASCII');
  });
});

describe('parseCertificate on hostile input (before any signature is checked)', () => {
  const oid = (hex: string) => tlv(TAG.OID, bytes(hex));
  const ECDSA_SHA256 = seq(oid('2a8648ce3d040302'));
  const point = bytes(`04${'11'.repeat(32)}${'22'.repeat(32)}`);
  const P256 = seq(oid('2a8648ce3d0201'), oid('2a8648ce3d030107'));
  const P256_KEY = seq(P256, tlv(TAG.BIT_STRING, bytes('00'), point));
  const attribute = (type: string, value: Uint8Array) => tlv(TAG.SET, seq(oid(type), value));
  const ISSUER = seq(attribute('550406', tlv(TAG.PRINTABLE_STRING, ascii('US'))), attribute('55040a', tlv(TAG.UTF8_STRING, ascii('Example'))));
  const SUBJECT = seq(attribute('550403', tlv(TAG.UTF8_STRING, ascii('Test\nLeaf'))), attribute('550405', bytes('1e020041')));
  const extension = (id: string, value: Uint8Array, critical = false) => seq(oid(id), ...(critical ? [bytes('0101ff')] : []), tlv(TAG.OCTET_STRING, value));
  const CA = extension('551d13', seq(bytes('0101ff')), true);
  const APPLE_LEAF = extension('2a864886f76364060b01', bytes('0500'));
  const SIGNATURE = bytes('3006020101020102');

  /** Omitted options are the well-formed defaults; `extensions: null` leaves the [3] field out. */
  interface Options {
    version?: Uint8Array[];
    innerAlgorithm?: Uint8Array;
    outerAlgorithm?: Uint8Array;
    key?: Uint8Array;
    extensions?: Uint8Array[] | null;
  }
  const tbsOf = (o: Options) =>
    seq(
      ...(o.version ?? [tlv(TAG.explicit(0), bytes('020102'))]),
      bytes('020101'),
      o.innerAlgorithm ?? ECDSA_SHA256,
      ISSUER,
      seq(tlv(TAG.UTC_TIME, ascii('250101000000Z')), tlv(TAG.GENERALIZED_TIME, ascii('20500101000000Z'))),
      SUBJECT,
      o.key ?? P256_KEY,
      ...(o.extensions === null ? [] : [tlv(TAG.explicit(3), seq(...(o.extensions ?? [CA, APPLE_LEAF])))]),
    );
  const certificate = (o: Options = {}) => seq(tbsOf(o), o.outerAlgorithm ?? o.innerAlgorithm ?? ECDSA_SHA256, tlv(TAG.BIT_STRING, bytes('00'), SIGNATURE));

  it('reads every field the chain check uses from a well-formed certificate', () => {
    const parsed = parseCertificate(certificate());
    expect(parsed).toMatchObject({
      tbs: tbsOf({}),
      subject: SUBJECT,
      issuer: ISSUER,
      isCa: true,
      subjectText: 'CN=Test\uFFFDLeaf, 2.5.4.5=#1e020041',
      issuerText: 'C=US, O=Example',
      notBefore: Date.parse('2025-01-01T00:00:00Z'),
      notAfter: Date.parse('2050-01-01T00:00:00Z'),
      key: { curve: 'P-256', point },
      signature: { hash: 'SHA-256', der: SIGNATURE },
    });
    expect([...parsed.extensions]).toEqual(['2.5.29.19', '1.2.840.113635.100.6.11.1']);
    expect(parseCertificate(certificate({ extensions: [extension('551d13', seq())] })).isCa).toBe(false);
  });

  it.each([
    ['a trailing byte', Uint8Array.from([...certificate(), 0]), 'unexpected data at the end of the input'],
    ['a repeated extension', certificate({ extensions: [CA, APPLE_LEAF, CA] }), 'repeats extension 2.5.29.19'],
    ['an empty extensions list', certificate({ extensions: [] }), 'extensions is empty'],
    [
      'a signed algorithm that differs from the outer one',
      certificate({ outerAlgorithm: seq(oid('2a8648ce3d040303')) }),
      'differs from the one in its signed part',
    ],
    ['extensions in a version 1 certificate', certificate({ version: [] }), 'version 1 cannot carry'],
    ['a compressed point', certificate({ key: seq(P256, tlv(TAG.BIT_STRING, bytes('0002'), point.subarray(1, 33))) }), 'not an uncompressed P-256 point'],
    [
      'an RSA key',
      certificate({ key: seq(seq(oid('2a864886f70d010101'), bytes('0500')), tlv(TAG.BIT_STRING, bytes('00'), point)) }),
      'not an EC key (1.2.840.113549.1.1.1)',
    ],
    ['an RSA signature', certificate({ innerAlgorithm: seq(oid('2a864886f70d01010b'), bytes('0500')) }), 'signed with 1.2.840.113549.1.1.11, not ECDSA'],
    ['cA encoded as 0x01', certificate({ extensions: [extension('551d13', seq(bytes('010101')))] }), 'BOOLEAN is not 0x00 or 0xFF'],
  ])('refuses %s', (_name, input, message) => {
    expect(() => parseCertificate(input)).toThrow(CertificateError);
    expect(() => parseCertificate(input)).toThrow(message);
  });

  it('Apple Root CA - G3 cut at any length or with any byte changed parses or throws CertificateError, nothing else', () => {
    const g3 = base64ToBytes(APPLE_ROOT_CA_G3)!;
    const outcome = (input: Uint8Array<ArrayBuffer>) => {
      try {
        parseCertificate(input);
        return 'parsed';
      } catch (error) {
        return error instanceof CertificateError ? 'refused' : error;
      }
    };
    for (let i = 0; i < g3.length; i++) {
      expect(outcome(g3.subarray(0, i))).toBe('refused');
      for (const change of [0x01, 0x80, 0xff]) {
        const mutated = new Uint8Array(g3);
        mutated[i]! ^= change;
        expect(['parsed', 'refused']).toContain(outcome(mutated));
      }
    }
  });
});
