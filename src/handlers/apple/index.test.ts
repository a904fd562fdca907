import { describe, expect, it } from 'vitest';
import { appleFixture } from '../../../test/fixtures/apple/index.js';
import { appleNotificationBody, appleTestPki } from '../../../test/helpers/signers/apple.js';
import apple from './index.js';

const pki = appleTestPki();
const request = (text: string) => ({ body: new TextEncoder().encode(text), text, header: () => null });

describe('App Store provider definition', () => {
  it('identify: inbox key notificationUUID, type notificationType:subtype (or bare), account bundleId', () => {
    const withSubtype = { json: appleFixture('subscribed-initial-buy').notification, secret: 'com.example' };
    expect(apple.identify(withSubtype, request(''))).toEqual({
      ok: true,
      value: { eventKey: '002e14d5-51f5-4503-b5a8-c3a1af68eb20', eventType: 'SUBSCRIBED:INITIAL_BUY', account: 'com.example' },
    });
    const bare = { json: appleFixture('did-renew').notification, secret: 'com.example' };
    expect(apple.identify(bare, request(''))).toMatchObject({ ok: true, value: { eventType: 'DID_RENEW' } });
    expect(apple.identify({ json: { notificationType: 'TEST' }, secret: 'com.example' }, request(''))).toEqual({
      ok: false,
      reason: 'invalid_payload',
      message: 'App Store notification has no notificationUUID',
    });
  });

  it('storedJson decodes a stored body into exactly what the verifier handed on', async () => {
    const body = appleNotificationBody(appleFixture('refund-prorated'));
    const verify = apple.createVerifier(['com.example'], {
      now: Date.now,
      settings: apple.settings!.parse({ APPLE_ROOT_CERTS: pki.rootPath, APPLE_APP_APPLE_ID: '1234567890' }),
    });
    const verified = await verify(request(body));
    expect(verified.ok).toBe(true);
    if (verified.ok) expect(apple.storedJson!(body)).toEqual(verified.value.json);
  });

  it('storedJson returns an undecodable body as parsed, so parse names what is missing', () => {
    expect(apple.storedJson!('{"signedPayload":"garbage"}')).toEqual({ signedPayload: 'garbage' });
    const parsed = apple.parse(apple.storedJson!('{"signedPayload":"garbage"}'), { eventKey: 'x', eventType: 'x', account: null });
    expect(parsed).toEqual({ ok: false, issues: expect.stringContaining('notificationType') });
  });

  it('APPLE_BUNDLE_ID entries must be reverse-DNS bundle ids', () => {
    expect(apple.secret.safeParse('com.example.app').success).toBe(true);
    expect(apple.secret.safeParse('com.example-co.App2').success).toBe(true);
    expect(apple.secret.safeParse('example').error?.issues[0]?.message).toBe("expected the app's bundle ID in reverse-DNS form, e.g. com.example.app");
    expect(apple.secret.safeParse('whsec_123').success).toBe(false);
  });

  it('settings: APPLE_APP_APPLE_ID is digits (a comma list for several apps); blank means unset', () => {
    expect(apple.settings!.parse({ APPLE_APP_APPLE_ID: '1234567890' })).toEqual({ APPLE_APP_APPLE_ID: '1234567890' });
    expect(apple.settings!.parse({ APPLE_APP_APPLE_ID: '123, 456' })).toEqual({ APPLE_APP_APPLE_ID: '123, 456' });
    expect(apple.settings!.parse({ APPLE_APP_APPLE_ID: '', APPLE_ROOT_CERTS: ' ' })).toEqual({});
    expect(apple.settings!.safeParse({ APPLE_APP_APPLE_ID: 'com.example' }).success).toBe(false);
  });

  it('handles SUBSCRIBED, DID_RENEW, ONE_TIME_CHARGE, OFFER_REDEEMED and REFUND', () => {
    expect(apple.handledEventTypes).toEqual(['SUBSCRIBED', 'DID_RENEW', 'ONE_TIME_CHARGE', 'OFFER_REDEEMED', 'REFUND']);
  });
});
