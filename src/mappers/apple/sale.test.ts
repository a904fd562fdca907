import { describe, expect, it } from 'vitest';
import { appleFixture, mapAppleFixture, type AppleFixture } from '../../../test/fixtures/apple/index.js';

const TOKEN = '7e3fb20b-4cdb-47cc-936d-99d65f608138';

/** The sale a fixture produces; tests override what their change affects. */
function sale(fixture: AppleFixture, body: Record<string, unknown>) {
  const { notification, transaction } = fixture;
  const label = notification.subtype ? `${notification.notificationType}:${notification.subtype}` : notification.notificationType;
  return {
    outcome: 'commands',
    links: [],
    commands: [
      {
        kind: 'sale',
        body: {
          customerExternalId: TOKEN,
          currency: 'usd',
          paymentProcessor: 'apple',
          invoiceId: transaction!.transactionId,
          ...body,
          metadata: {
            source: 'dub-bridge',
            appleNotificationUUID: notification.notificationUUID,
            appleNotificationType: label,
            appleBundleId: 'com.example',
            appleTransactionId: transaction!.transactionId,
            appleOriginalTransactionId: transaction!.originalTransactionId,
            appleProductId: transaction!.productId,
            appleStorefront: transaction!.storefront,
          },
        },
      },
    ],
  };
}

describe('App Store sales', () => {
  it('SUBSCRIBED INITIAL_BUY -> "Subscription creation" of price/10 cents, invoiceId = transactionId, customer = appAccountToken', () => {
    const fixture = appleFixture('subscribed-initial-buy');
    expect(mapAppleFixture(fixture)).toStrictEqual(sale(fixture, { amount: 999, eventName: 'Subscription creation' }));
  });

  it('SUBSCRIBED RESUBSCRIBE -> "Subscription creation" (a returning customer starts the subscription again)', () => {
    const fixture = appleFixture('subscribed-resubscribe');
    expect(mapAppleFixture(fixture)).toStrictEqual(sale(fixture, { amount: 999, eventName: 'Subscription creation', invoiceId: '2000000000000042' }));
  });

  it('DID_RENEW without appAccountToken -> "Subscription renewal" for apple_<originalTransactionId>', () => {
    const fixture = appleFixture('did-renew');
    expect(mapAppleFixture(fixture)).toStrictEqual(
      sale(fixture, { amount: 999, eventName: 'Subscription renewal', customerExternalId: 'apple_2000000000000001' }),
    );
  });

  it('DID_RENEW BILLING_RECOVERY is a renewal too', () => {
    const fixture = appleFixture('did-renew');
    fixture.notification.subtype = 'BILLING_RECOVERY';
    expect(mapAppleFixture(fixture)).toMatchObject({ commands: [{ body: { eventName: 'Subscription renewal', amount: 999 } }] });
  });

  it('ONE_TIME_CHARGE in JPY -> "Purchase" in whole yen', () => {
    const fixture = appleFixture('one-time-charge');
    expect(mapAppleFixture(fixture)).toStrictEqual(sale(fixture, { amount: 160, currency: 'jpy', eventName: 'Purchase' }));
  });

  it('a three-decimal currency rounds to hundredths half up and keeps the exact price in metadata', () => {
    const fixture = appleFixture('one-time-charge');
    Object.assign(fixture.transaction!, { price: 2995, currency: 'KWD' });
    expect(mapAppleFixture(fixture)).toMatchObject({
      commands: [{ body: { amount: 300, currency: 'kwd', metadata: { originalAmount: '2.995', originalCurrency: 'kwd' } } }],
    });
  });

  it.each([
    ['UPGRADE', 'Subscription renewal'],
    ['INITIAL_BUY', 'Subscription creation'],
    ['RESUBSCRIBE', 'Subscription creation'],
  ])('OFFER_REDEEMED %s -> "%s" of the discounted price', (subtype, eventName) => {
    const fixture = appleFixture('offer-redeemed-upgrade');
    fixture.notification.subtype = subtype;
    expect(mapAppleFixture(fixture)).toMatchObject({ commands: [{ body: { eventName, amount: 499, invoiceId: '2000000000000004' } }] });
  });

  it('OFFER_REDEEMED for a one-time product -> "Purchase"', () => {
    const fixture = appleFixture('offer-redeemed-upgrade');
    delete fixture.notification.subtype;
    fixture.transaction!.type = 'Non-Consumable';
    expect(mapAppleFixture(fixture)).toMatchObject({ commands: [{ body: { eventName: 'Purchase' } }] });
  });

  it.each([
    ['DOWNGRADE', 'OFFER_REDEEMED DOWNGRADE takes effect at the next renewal (DID_RENEW is that sale)'],
    [undefined, 'OFFER_REDEEMED without subtype takes effect at the next renewal (DID_RENEW is that sale)'],
  ])('OFFER_REDEEMED %s on a subscription -> ignored (charged at the next renewal)', (subtype, reason) => {
    const fixture = appleFixture('offer-redeemed-upgrade');
    if (subtype) fixture.notification.subtype = subtype;
    else delete fixture.notification.subtype;
    expect(mapAppleFixture(fixture)).toEqual({ outcome: 'ignored', reason, links: [] });
  });

  it.each([
    [0, 'transaction price is 0 (free trial or 100% offer)'],
    [undefined, 'transaction has no price (older than App Store price reporting)'],
  ])('price %s -> ignored', (price, reason) => {
    const fixture = appleFixture('subscribed-initial-buy');
    fixture.transaction!.price = price;
    expect(mapAppleFixture(fixture)).toEqual({ outcome: 'ignored', reason, links: [] });
  });

  it('SUBSCRIBED with another subtype -> ignored', () => {
    const fixture = appleFixture('subscribed-initial-buy');
    fixture.notification.subtype = 'SOMETHING_NEW';
    expect(mapAppleFixture(fixture)).toEqual({ outcome: 'ignored', reason: 'unhandled SUBSCRIBED subtype SOMETHING_NEW', links: [] });
  });
});
