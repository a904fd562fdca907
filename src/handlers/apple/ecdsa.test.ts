import { describe, expect, it } from 'vitest';
import { derSignatureToRaw, ecdsaHashFor, namedCurveOf } from './ecdsa.js';

const bytes = (hex: string) => Uint8Array.from(hex.match(/../g)!, (h) => Number.parseInt(h, 16));
const hexOf = (data: Uint8Array | null) => (data ? Buffer.from(data).toString('hex') : null);
const r32 = '11'.repeat(32);

describe('ECDSA helpers', () => {
  it('DER signature -> r||s: strips the sign byte, left-pads short integers to the curve size', () => {
    const der = bytes(`3045022100${'f1'.repeat(32)}0220${'22'.repeat(32)}`);
    expect(hexOf(derSignatureToRaw(der, 'P-256'))).toBe('f1'.repeat(32) + '22'.repeat(32));
    const short = bytes(`30250201050220${r32}`);
    expect(hexOf(derSignatureToRaw(short, 'P-256'))).toBe('00'.repeat(31) + '05' + r32);
    expect(derSignatureToRaw(bytes(`3044022000${'33'.repeat(31)}0220${r32}`), 'P-384')).toHaveLength(96);
  });

  it('refuses what is not exactly SEQUENCE { INTEGER, INTEGER } fitting the curve', () => {
    expect(derSignatureToRaw(bytes(`30440220${r32}0220${r32}00`), 'P-256')).toBeNull(); // trailing byte
    expect(derSignatureToRaw(bytes(`30440220${'ff'.repeat(32)}0220${r32}`), 'P-256')).toBeNull(); // negative r
    expect(derSignatureToRaw(bytes(`30460222${'11'.repeat(34)}0220${r32}`), 'P-256')).toBeNull(); // too long for P-256
    expect(derSignatureToRaw(bytes(`31440220${r32}0220${r32}`), 'P-256')).toBeNull(); // a SET
  });

  it('knows P-256/P-384 and ecdsa-with-SHA256/384 only', () => {
    expect(namedCurveOf(bytes('06082a8648ce3d030107'))).toBe('P-256');
    expect(namedCurveOf(bytes('06052b81040022'))).toBe('P-384');
    expect(namedCurveOf(bytes('06052b81040023'))).toBeNull(); // P-521
    expect(ecdsaHashFor('1.2.840.10045.4.3.3')).toBe('SHA-384');
    expect(ecdsaHashFor('1.2.840.113549.1.1.11')).toBeNull(); // sha256WithRSAEncryption
    expect(ecdsaHashFor('constructor')).toBeNull();
  });
});
