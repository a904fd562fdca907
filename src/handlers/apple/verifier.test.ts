import { describe, expect, it } from 'vitest';
import { appleFixture, inSandbox } from '../../../test/fixtures/apple/index.js';
import { appleNotificationBody, appleTestPki, LEAF_DAYS, signAppleJws, type BodyOptions } from '../../../test/helpers/signers/apple.js';
import type { WebhookRequest } from '../provider.js';
import { createAppleVerifier } from './verifier.js';

const pki = appleTestPki();
const DAY = 86_400_000;
const settings = { APPLE_ROOT_CERTS: pki.rootPath, APPLE_APP_APPLE_ID: '1234567890' };
const verify = createAppleVerifier(['com.example', 'com.example.macos'], { now: Date.now, settings });

const request = (text: string): WebhookRequest => ({ body: new TextEncoder().encode(text), text, header: () => null });
const purchase = () => appleFixture('subscribed-initial-buy');

describe('App Store verifier (Web Crypto, test CA as the configured root)', () => {
  it('a notification signed by the test CA verifies; the transaction is decoded into data.transactionInfo', async () => {
    const signedDate = Date.now();
    const fixture = purchase();
    const result = await verify(request(appleNotificationBody(fixture, { signedDate })));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.secret).toBe('com.example');
    const json = result.value.json as Record<string, any>;
    expect(json).toMatchObject({
      ...fixture.notification,
      signedDate,
      data: { ...fixture.notification.data, transactionInfo: { ...fixture.transaction, signedDate } },
    });
    expect(json.data.signedTransactionInfo).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('the matched bundle id is the secret (tenant binding) when several are configured', async () => {
    const fixture = purchase();
    fixture.notification.data.bundleId = 'com.example.macos';
    fixture.transaction!.bundleId = 'com.example.macos';
    const result = await verify(request(appleNotificationBody(fixture)));
    expect(result).toMatchObject({ ok: true, value: { secret: 'com.example.macos' } });
  });

  it('Sandbox notifications need no APPLE_APP_APPLE_ID', async () => {
    const sandboxOnly = createAppleVerifier(['com.example'], { now: Date.now, settings: { APPLE_ROOT_CERTS: pki.rootPem } });
    const result = await sandboxOnly(request(appleNotificationBody(inSandbox(purchase()))));
    expect(result).toMatchObject({ ok: true, value: { secret: 'com.example' } });
  });

  it('a TEST notification (no transaction) verifies', async () => {
    const result = await verify(request(appleNotificationBody(appleFixture('test'))));
    expect(result).toMatchObject({ ok: true, value: { json: { notificationType: 'TEST' } } });
  });
});

type Case = [name: string, body: () => string, message: string];

/** Replaces the JWS's payload part, keeping its header and signature. */
const withPayload = (jws: string, payload: unknown) => {
  const [header, , signature] = jws.split('.');
  return `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
};
const payloadOf = (jws: string) => JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString());
const signedPayloadOf = (body: string): string => JSON.parse(body).signedPayload;
const bodyWith = (signedPayload: string) => JSON.stringify({ signedPayload });
const sign = (options: BodyOptions, change?: (f: ReturnType<typeof purchase>) => void) => () => {
  const fixture = purchase();
  change?.(fixture);
  return appleNotificationBody(fixture, options);
};

describe('App Store verifier refusals (401 invalid_signature, nothing stored)', () => {
  const cases: Case[] = [
    [
      'a bad signature',
      () => {
        const jws = signedPayloadOf(sign({})());
        const last = jws.at(-2) === 'A' ? 'B' : 'A';
        return bodyWith(`${jws.slice(0, -2)}${last}${jws.at(-1)}`);
      },
      "signedPayload: the JWS signature does not verify with the leaf certificate's key",
    ],
    [
      'a payload changed after signing',
      () => {
        const jws = signedPayloadOf(sign({})());
        const notification = payloadOf(jws);
        notification.notificationUUID = '00000000-0000-4000-8000-000000000000';
        return bodyWith(withPayload(jws, notification));
      },
      'the JWS signature does not verify',
    ],
    ['a chain to an unknown root (same names, other key)', sign({ chain: pki.unknownRoot }), 'does not end in a trusted root'],
    [
      'an unknown chain that carries the trusted root as x5c[2]',
      sign({ chain: pki.unknownRoot, x5c: [...pki.unknownRoot.x5c.slice(0, 2), pki.valid.x5c[2]!] }),
      'does not end in a trusted root',
    ],
    ['a leaf without 1.2.840.113635.100.6.11.1', sign({ chain: pki.leafWithoutOid }), "lacks Apple's App Store marker extension 1.2.840.113635.100.6.11.1"],
    [
      'an intermediate without 1.2.840.113635.100.6.2.1',
      sign({ chain: pki.intermediateWithoutOid }),
      "lacks Apple's marker extension 1.2.840.113635.100.6.2.1",
    ],
    ['an intermediate that is not a CA', sign({ chain: pki.intermediateNotCa }), 'is not a CA (basicConstraints)'],
    [
      'a leaf expired at signedDate',
      sign({ signedDate: Date.now() + (LEAF_DAYS + 5) * DAY }),
      'the leaf certificate (C=US, O=dub-bridge tests, CN=Test App Store Receipt Signing) is not valid at',
    ],
    ['a chain not yet valid at signedDate', sign({ signedDate: Date.now() - 2 * DAY }), "is not valid at the payload's signedDate"],
    [
      'x5c with two certificates',
      sign({ x5c: pki.valid.x5c.slice(0, 2) }),
      'x5c header must hold exactly 3 certificates (leaf, intermediate, root); it has 2 entries',
    ],
    ['alg ES384', sign({ alg: 'ES384' }), 'the JWS alg is "ES384"; App Store payloads are ES256'],
    ['alg none', () => bodyWith(signAppleJws(purchase().notification, pki.valid, { alg: 'none' })), 'the JWS alg is "none"'],
    ['garbage base64', () => bodyWith('%%%.***.!!!'), 'not a compact JWS'],
    ['not a JWS', () => bodyWith('eyJhbGciOiJFUzI1NiJ9'), 'not a compact JWS'],
    ['base64url that is not JSON', () => bodyWith('bm90IGpzb24.bm90IGpzb24.AAAA'), 'the JWS header or payload is not base64url JSON'],
    [
      'a bundle id not in APPLE_BUNDLE_ID',
      sign({}, (f) => {
        f.notification.data.bundleId = 'com.other.app';
      }),
      'the notification is for bundle id "com.other.app", which is not in APPLE_BUNDLE_ID',
    ],
    [
      'a Production notification for another app Apple ID',
      sign({}, (f) => {
        f.notification.data.appAppleId = 987654321;
      }),
      "the notification's appAppleId 987654321 is not APPLE_APP_APPLE_ID",
    ],
    [
      'a tampered signedTransactionInfo (price raised, signature kept)',
      sign({
        transactionJws: (jws) => withPayload(jws, { ...payloadOf(jws), price: 999990 }),
      }),
      'data.signedTransactionInfo: the JWS signature does not verify',
    ],
    [
      'a signedTransactionInfo from an unknown root',
      sign({ transactionChain: pki.unknownRoot }),
      'data.signedTransactionInfo: the certificate chain does not end in a trusted root',
    ],
    [
      'a signedTransactionInfo for another bundle id',
      sign({}, (f) => {
        f.transaction!.bundleId = 'com.example.macos';
      }),
      'data.signedTransactionInfo is for bundle id "com.example.macos", not com.example',
    ],
    [
      'a Sandbox transaction inside a Production notification',
      sign({}, (f) => {
        f.transaction!.environment = 'Sandbox';
      }),
      'data.signedTransactionInfo is from Sandbox, the notification from Production',
    ],
  ];

  it.each(cases)('%s', async (_name, body, message) => {
    const result = await verify(request(body()));
    expect(result).toEqual({ ok: false, reason: 'invalid_signature', message: expect.stringContaining(message) });
  });

  it('a Production notification without APPLE_APP_APPLE_ID configured is refused naming the variable', async () => {
    const unset = createAppleVerifier(['com.example'], { now: Date.now, settings: { APPLE_ROOT_CERTS: pki.rootPath } });
    const result = await unset(request(appleNotificationBody(purchase())));
    expect(result).toEqual({
      ok: false,
      reason: 'invalid_signature',
      message: "a Production notification needs APPLE_APP_APPLE_ID (the app's Apple ID in App Store Connect) to be configured",
    });
  });

  it('a body without signedPayload is invalid_payload (a Version 1 notification), one that is not JSON malformed_json', async () => {
    const v1 = JSON.stringify({ notification_type: 'INITIAL_BUY', password: 'x', unified_receipt: {} });
    expect(await verify(request(v1))).toEqual({ ok: false, reason: 'invalid_payload', message: expect.stringContaining('Version 2') });
    expect(await verify(request('signedPayload=abc'))).toEqual({ ok: false, reason: 'malformed_json', message: expect.stringContaining('not JSON') });
  });

  it('the default roots (Apple Root CA - G3) refuse the test CA', async () => {
    const production = createAppleVerifier(['com.example'], { now: Date.now, settings: { APPLE_APP_APPLE_ID: '1234567890' } });
    const result = await production(request(appleNotificationBody(purchase())));
    expect(result).toEqual({ ok: false, reason: 'invalid_signature', message: expect.stringContaining('does not end in a trusted root') });
  });
});
