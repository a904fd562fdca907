import { describe, expect, it } from 'vitest';
import { appleFixture, inSandbox, mapAppleFixture, verifiedShape } from '../../../test/fixtures/apple/index.js';
import { mapAppleNotification, parseAppleNotification } from './index.js';

describe('App Store dispatch, test events and ignored notifications', () => {
  it.each([
    ['did-change-renewal-status', 'unhandled event type DID_CHANGE_RENEWAL_STATUS'],
    ['test', 'unhandled event type TEST'],
  ] as const)('%s -> ignored', (name, reason) => {
    expect(mapAppleFixture(appleFixture(name))).toEqual({ outcome: 'ignored', reason, links: [] });
  });

  it.each(['EXPIRED', 'CONSUMPTION_REQUEST', 'REFUND_REVERSED', 'DID_FAIL_TO_RENEW', 'constructor'])(
    '%s (any transaction) -> ignored, parses with the envelope only',
    (type) => {
      const parsed = parseAppleNotification({
        notificationType: type,
        notificationUUID: 'b3c1d1e2-0000-4000-8000-000000000001',
        data: { transactionInfo: 'anything' },
      });
      expect(parsed.ok).toBe(true);
      if (parsed.ok)
        expect(mapAppleNotification(parsed.value, { testEvents: 'forward' })).toEqual({
          outcome: 'ignored',
          reason: `unhandled event type ${type}`,
          links: [],
        });
    },
  );

  it('a family-shared transaction -> ignored (the family member paid nothing), refunds too', () => {
    for (const name of ['subscribed-initial-buy', 'refund-full'] as const) {
      const fixture = appleFixture(name);
      fixture.transaction!.inAppOwnershipType = 'FAMILY_SHARED';
      expect(mapAppleFixture(fixture)).toEqual({
        outcome: 'ignored',
        reason: 'family-shared transaction: the family member paid nothing (the purchase is the sale)',
        links: [],
      });
    }
  });

  it('Sandbox follows TEST_EVENTS: forward as is, skip, or tag', () => {
    const sandbox = () => inSandbox(appleFixture('subscribed-initial-buy'));
    expect(mapAppleFixture(sandbox(), { testEvents: 'forward' })).toMatchObject({ commands: [{ body: { metadata: { source: 'dub-bridge' } } }] });
    expect(mapAppleFixture(sandbox(), { testEvents: 'forward' })).not.toMatchObject({ commands: [{ body: { metadata: { testEvent: true } } }] });
    expect(mapAppleFixture(sandbox(), { testEvents: 'skip' })).toEqual({ outcome: 'ignored', reason: 'test event skipped (TEST_EVENTS=skip)', links: [] });
    expect(mapAppleFixture(sandbox(), { testEvents: 'tag' })).toMatchObject({ commands: [{ kind: 'sale', body: { metadata: { testEvent: true } } }] });
  });

  it('Production is never a test event', () => {
    expect(mapAppleFixture(appleFixture('subscribed-initial-buy'), { testEvents: 'skip' })).toMatchObject({ outcome: 'commands' });
  });

  it('a handled type with a bad transaction fails parse naming the field', () => {
    const shape = verifiedShape(appleFixture('did-renew'));
    shape.data.transactionInfo.price = '9.99';
    expect(parseAppleNotification(shape)).toEqual({ ok: false, issues: 'data.transactionInfo.price: Invalid input: expected number, received string' });
    delete shape.data.transactionInfo;
    expect(parseAppleNotification(shape)).toMatchObject({ ok: false, issues: expect.stringContaining('data.transactionInfo') });
    expect(parseAppleNotification({ notificationType: 'DID_RENEW' })).toEqual({
      ok: false,
      issues: 'notificationUUID: Invalid input: expected string, received undefined',
    });
  });
});
