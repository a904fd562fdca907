import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { base64ToBytes } from '../crypto.js';
import { parseCertificate } from './certificate.js';
import { verifyAppleJws } from './jws.js';
import { loadTrustedRoots } from './trust-roots.js';
import { createAppleVerifier } from './verifier.js';
import { verifyAppleChain } from './x509-chain.js';

/**
 * The official library's own test material (apple/app-store-server-library-node tests/, MIT; see
 * test/fixtures/apple/NOTICE.md), checked against this Web Crypto verifier. The library's tests
 * disable online (OCSP) checks and verify at each payload's signedDate (chain tests at a fixed
 * October 2025 date); these do the same, since the bridge never makes OCSP calls.
 */
const vectors = JSON.parse(readFileSync(new URL('../../../test/fixtures/apple/apple-library-vectors.json', import.meta.url), 'utf8'));
const cert = (b64: string) => parseCertificate(base64ToBytes(b64)!);
const at = vectors.chain.effectiveDate as number;
const testCa = parseCertificate(base64ToBytes(vectors.testCaDer)!);
const never = () => {
  throw new Error('every sample has a signedDate or is refused before the date matters');
};

describe("Apple's chain test vectors", () => {
  const { rootCa, intermediateCa, leafCert } = vectors.chain;

  it('a valid test chain verifies under its root and yields the leaf key', async () => {
    const result = await verifyAppleChain(cert(leafCert), cert(intermediateCa), [cert(rootCa)], at);
    expect(result.ok).toBe(true);
  });

  it('an intermediate without 1.2.840.113635.100.6.2.1 is refused', async () => {
    const result = await verifyAppleChain(
      cert(vectors.chain.leafCertForIntermediateCaInvalidOid),
      cert(vectors.chain.intermediateCaInvalidOid),
      [cert(rootCa)],
      at,
    );
    expect(result).toEqual({ ok: false, message: expect.stringContaining('1.2.840.113635.100.6.2.1') });
  });

  it('a leaf without 1.2.840.113635.100.6.11.1 is refused', async () => {
    const result = await verifyAppleChain(cert(vectors.chain.leafCertInvalidOid), cert(intermediateCa), [cert(rootCa)], at);
    expect(result).toEqual({ ok: false, message: expect.stringContaining('1.2.840.113635.100.6.11.1') });
  });

  it('no trusted roots, or only the real Apple root, refuses the test chain', async () => {
    for (const roots of [[], loadTrustedRoots(undefined)]) {
      const result = await verifyAppleChain(cert(leafCert), cert(intermediateCa), roots, at);
      expect(result).toEqual({ ok: false, message: expect.stringContaining('does not end in a trusted root') });
    }
  });

  it('the chain is refused at a date after it expired (2042)', async () => {
    const result = await verifyAppleChain(cert(leafCert), cert(intermediateCa), [cert(rootCa)], 2280946846000);
    expect(result).toEqual({ ok: false, message: expect.stringContaining('is not valid at') });
  });

  it("Apple's real production chain (WWDR G6, P-384/SHA-384) verifies under the shipped Apple Root CA - G3", async () => {
    const result = await verifyAppleChain(
      cert(vectors.chain.realAppleSigningCertificate),
      cert(vectors.chain.realAppleIntermediate),
      loadTrustedRoots(undefined),
      at,
    );
    expect(result.ok).toBe(true);
  });
});

describe("Apple's signed samples (mock_signed_data) with testCA.der as the configured root", () => {
  it('testNotification verifies through the bridge verifier (its x5c root is a different certificate of the same key)', async () => {
    const text = JSON.stringify({ signedPayload: vectors.signed.testNotification });
    const verify = createAppleVerifier(['com.example'], { now: never, settings: {} as Record<string, unknown> });
    // The default roots (Apple Root CA - G3) do not trust the test CA...
    const refusedByDefault = await verify({ body: new TextEncoder().encode(text), text, header: () => null });
    expect(refusedByDefault).toMatchObject({ ok: false, reason: 'invalid_signature' });

    const trusting = createAppleVerifier(['com.example'], { now: never, settings: { APPLE_ROOT_CERTS: pem(vectors.testCaDer) } });
    const result = await trusting({ body: new TextEncoder().encode(text), text, header: () => null });
    expect(result).toEqual({
      ok: true,
      value: {
        secret: 'com.example',
        json: {
          data: { appAppleId: 1234, environment: 'Sandbox', bundleId: 'com.example' },
          notificationUUID: '9ad56bd2-0bc6-42e0-af24-fd996d87a1e6',
          signedDate: 1681314324000,
          notificationType: 'TEST',
        },
      },
    });
  });

  it('transactionInfo and renewalInfo verify at their signedDate', async () => {
    for (const sample of [vectors.signed.transactionInfo, vectors.signed.renewalInfo]) {
      const result = await verifyAppleJws(sample, [testCa], never);
      expect(result).toMatchObject({ ok: true, payload: { environment: 'Sandbox', signedDate: 1672956154000 } });
    }
  });

  it('wrongBundleId is refused for its bundle id (no signedDate: checked at the current time)', async () => {
    const text = JSON.stringify({ signedPayload: vectors.signed.wrongBundleId });
    const verify = createAppleVerifier(['com.example'], { now: () => at, settings: { APPLE_ROOT_CERTS: pem(vectors.testCaDer) } });
    const result = await verify({ body: new TextEncoder().encode(text), text, header: () => null });
    expect(result).toEqual({
      ok: false,
      reason: 'invalid_signature',
      message: expect.stringContaining('"com.example.wrong", which is not in APPLE_BUNDLE_ID'),
    });
  });

  it('missingX5CHeaderClaim is refused', async () => {
    const result = await verifyAppleJws(vectors.signed.missingX5CHeaderClaim, [testCa], never);
    expect(result).toEqual({ ok: false, message: expect.stringContaining('x5c header must hold exactly 3 certificates') });
  });
});

function pem(derBase64: string): string {
  return `-----BEGIN CERTIFICATE-----\n${derBase64.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
}
