/**
 * A minimal, strict DER reader for the few X.509 structures the App Store verifier needs. It runs
 * on attacker-supplied certificates before any signature is checked, so: every read is bounds-
 * checked against its enclosing value (not just the buffer), only definite minimal lengths and
 * single-byte tags are accepted, nothing recurses (callers descend one level at a time, so deep
 * nesting costs no stack), all work is linear in the input, and anything unexpected throws DerError.
 */

/** Malformed or unexpected DER; callers turn it into their own domain error. */
export class DerError extends Error {
  override readonly name = 'DerError';
}

/** Universal tags (with the constructed bit where DER requires it) and X.509's context tags. */
export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
  /** `[n] EXPLICIT` (constructed) and `[n] IMPLICIT` of a primitive type. */
  explicit: (n: number) => 0xa0 | n,
  implicit: (n: number) => 0x80 | n,
} as const;

/** One tag-length-value: `value` is the contents, `raw` the whole encoding (views, not copies). */
export interface Tlv {
  tag: number;
  value: Uint8Array<ArrayBuffer>;
  raw: Uint8Array<ArrayBuffer>;
}

/** Reads the TLVs inside one constructed value (or a whole input) in order; `what` names it in errors. */
export class DerReader {
  private offset = 0;

  constructor(
    private readonly bytes: Uint8Array<ArrayBuffer>,
    private readonly what: string,
  ) {}

  /** Whether every byte has been read. */
  get done(): boolean {
    return this.offset >= this.bytes.length;
  }

  /** The next TLV, whatever its tag (for `ANY` fields such as name values and algorithm parameters). */
  next(what: string): Tlv {
    const { bytes } = this;
    const start = this.offset;
    if (start >= bytes.length) throw new DerError(`${what} is missing from ${this.what}`);
    const tag = bytes[start]!;
    // X.509 never needs tag numbers above 30; the multi-byte form would be another parser path.
    if ((tag & 0x1f) === 0x1f) throw new DerError(`${what} has a multi-byte tag`);
    if (start + 1 >= bytes.length) throw new DerError(`${what} is truncated`);
    let length = bytes[start + 1]!;
    let contents = start + 2;
    if (length & 0x80) {
      const octets = length & 0x7f;
      if (octets === 0) throw new DerError(`${what} has an indefinite length (BER, not DER)`);
      if (octets > 4) throw new DerError(`${what} has a length of more than 4 octets`);
      if (contents + octets > bytes.length) throw new DerError(`${what} is truncated`);
      length = 0;
      for (let i = 0; i < octets; i++) length = length * 256 + bytes[contents + i]!;
      // DER: the long form only when needed, without leading zero octets.
      if (length < 0x80 || bytes[contents] === 0) throw new DerError(`${what} has a non-minimal length`);
      contents += octets;
    }
    if (length > bytes.length - contents) throw new DerError(`${what}'s length ${length} runs past the end of ${this.what}`);
    this.offset = contents + length;
    return { tag, value: bytes.subarray(contents, this.offset), raw: bytes.subarray(start, this.offset) };
  }

  /** The next TLV, which must have `tag`. */
  read(tag: number, what: string): Tlv {
    if (this.done) throw new DerError(`${what} is missing from ${this.what}`);
    const found = this.bytes[this.offset]!;
    if (found !== tag) throw new DerError(`${what}: expected tag 0x${hex2(tag)}, found 0x${hex2(found)}`);
    return this.next(what);
  }

  /** The next TLV when it has `tag` (OPTIONAL and DEFAULT fields), else undefined and nothing is read. */
  optional(tag: number, what: string): Tlv | undefined {
    return !this.done && this.bytes[this.offset] === tag ? this.next(what) : undefined;
  }

  /** Asserts nothing follows: DER structures here have no room for trailing or unknown fields. */
  end(): void {
    if (!this.done) throw new DerError(`unexpected data at the end of ${this.what}`);
  }
}

/** Exactly one TLV with `tag` spanning all of `bytes` (a whole certificate, an extension value). */
export function readDer(bytes: Uint8Array<ArrayBuffer>, tag: number, what: string): Tlv {
  const reader = new DerReader(bytes, 'the input');
  const tlv = reader.read(tag, what);
  reader.end();
  return tlv;
}

/** Dotted OBJECT IDENTIFIER text; arcs are BigInt so UUID arcs (2.25.…) decode exactly. */
export function oidOf(tlv: Tlv): string {
  expectTag(tlv, TAG.OID, 'OBJECT IDENTIFIER');
  const bytes = tlv.value;
  if (bytes.length === 0 || bytes[bytes.length - 1]! & 0x80) throw new DerError('OBJECT IDENTIFIER is empty or truncated');
  const arcs: string[] = [];
  let arc = 0n;
  let arcBytes = 0;
  for (const byte of bytes) {
    // 0x80 as an arc's first byte is a non-minimal leading zero; the cap bounds BigInt work.
    if ((arcBytes === 0 && byte === 0x80) || ++arcBytes > 20) throw new DerError('OBJECT IDENTIFIER has a malformed arc');
    arc = (arc << 7n) | BigInt(byte & 0x7f);
    if (byte & 0x80) continue;
    if (arcs.length === 0) {
      // The first subidentifier packs two arcs: 40 × first + second, where first is 0, 1 or 2.
      const first = arc < 40n ? 0n : arc < 80n ? 1n : 2n;
      arcs.push(String(first), String(arc - first * 40n));
    } else {
      arcs.push(String(arc));
    }
    arc = 0n;
    arcBytes = 0;
  }
  return arcs.join('.');
}

/** Milliseconds since the epoch of a UTCTime (YYMMDDHHMMSSZ, YY < 50 → 20YY) or GeneralizedTime (YYYYMMDDHHMMSSZ), the only forms RFC 5280 allows. */
export function timeOf(tlv: Tlv): number {
  const utc = tlv.tag === TAG.UTC_TIME;
  if (!utc && tlv.tag !== TAG.GENERALIZED_TIME) throw new DerError('a time is neither UTCTime nor GeneralizedTime');
  const digits = utc ? 12 : 14;
  const v = tlv.value;
  if (v.length !== digits + 1 || v[digits] !== 0x5a || !v.subarray(0, digits).every((b) => b >= 0x30 && b <= 0x39)) {
    throw new DerError(`a time is not ${utc ? 'YYMMDDHHMMSSZ' : 'YYYYMMDDHHMMSSZ'}`);
  }
  const n = (at: number) => (v[at]! - 0x30) * 10 + v[at + 1]! - 0x30;
  const year = utc ? (n(0) < 50 ? 2000 : 1900) + n(0) : n(0) * 100 + n(2);
  const [month, day, hour, minute, second] = [0, 2, 4, 6, 8].map((i) => n(digits - 10 + i)) as [number, number, number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC: it maps years 0–99 to 19xx
  date.setUTCHours(hour, minute, second, 0);
  // A field out of range (month 13, 30 February, hour 24, second 60) rolls over and shows here.
  const back = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()];
  if (back.join() !== [year, month, day, hour, minute, second].join()) throw new DerError('a time names a date or time that does not exist');
  return date.getTime();
}

/** A BIT STRING's bytes after its unused-bits octet (0–7; DER requires the unused bits to be zero). */
export function bitStringOf(tlv: Tlv): { bytes: Uint8Array<ArrayBuffer>; unusedBits: number } {
  expectTag(tlv, TAG.BIT_STRING, 'BIT STRING');
  const v = tlv.value;
  const unusedBits = v[0] ?? 8; // no octet at all is as malformed as 8+ unused bits
  if (unusedBits > 7 || (unusedBits > 0 && (v.length === 1 || v[v.length - 1]! & ((1 << unusedBits) - 1)))) {
    throw new DerError('BIT STRING has a malformed unused-bits octet');
  }
  return { bytes: v.subarray(1), unusedBits };
}

/** A DER BOOLEAN: one octet, 0x00 or 0xFF. */
export function booleanOf(tlv: Tlv): boolean {
  expectTag(tlv, TAG.BOOLEAN, 'BOOLEAN');
  const [byte] = tlv.value;
  if (tlv.value.length !== 1 || (byte !== 0x00 && byte !== 0xff)) throw new DerError('BOOLEAN is not 0x00 or 0xFF');
  return byte === 0xff;
}

/** A non-negative, minimally encoded INTEGER of at most 6 octets (versions, path lengths). */
export function smallIntegerOf(tlv: Tlv): number {
  expectTag(tlv, TAG.INTEGER, 'INTEGER');
  const v = tlv.value;
  if (v.length === 0 || v.length > 6 || v[0]! & 0x80 || (v.length > 1 && v[0] === 0 && !(v[1]! & 0x80))) {
    throw new DerError('INTEGER is empty, negative, too large or not minimally encoded');
  }
  return v.reduce((value, byte) => value * 256 + byte, 0);
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Text of a UTF8String, PrintableString or IA5String (the last two must be ASCII); null for other tags. */
export function stringOf(tlv: Tlv): string | null {
  if (tlv.tag !== TAG.UTF8_STRING && tlv.tag !== TAG.PRINTABLE_STRING && tlv.tag !== TAG.IA5_STRING) return null;
  if (tlv.tag !== TAG.UTF8_STRING && tlv.value.some((byte) => byte > 0x7f)) throw new DerError('an ASCII string holds a non-ASCII byte');
  try {
    return utf8.decode(tlv.value);
  } catch {
    throw new DerError('a UTF8String is not valid UTF-8');
  }
}

function expectTag(tlv: Tlv, tag: number, what: string): void {
  if (tlv.tag !== tag) throw new DerError(`expected ${what}, found tag 0x${hex2(tlv.tag)}`);
}

const hex2 = (byte: number) => byte.toString(16).padStart(2, '0');
