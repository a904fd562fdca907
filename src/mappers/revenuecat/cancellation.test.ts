import { describe, expect, it } from 'vitest';
import { mapRawRevenueCatEvent, revenuecatFixture } from '../../../test/fixtures/revenuecat/index.js';

describe('CANCELLATION -> refund only for CUSTOMER_SUPPORT with a negative price', () => {
  it('refund of the transaction: |price| as the refunded total, named by the transaction id', () => {
    expect(mapRawRevenueCatEvent(revenuecatFixture('cancellation-refund'))).toMatchObject({
      outcome: 'commands',
      commands: [
        {
          kind: 'refund',
          body: {
            refs: { invoiceId: '2000000999000001' },
            refundedTotal: 999,
            fullyRefunded: false,
            currency: 'usd',
            refundId: '2000000999000001',
            metadata: { source: 'dub-bridge', revenuecatEventId: '00000000-0000-4000-8000-0000000e0006', priceInPurchasedCurrency: '-9.99' },
          },
        },
      ],
    });
  });

  it('the same refund reported under another event id has the same refund identity', () => {
    const first = mapRawRevenueCatEvent(revenuecatFixture('cancellation-refund'));
    const other = revenuecatFixture('cancellation-refund');
    other.event.id = '00000000-0000-4000-8000-0000000e0099';
    const second = mapRawRevenueCatEvent(other);
    const identity = (r: typeof first) =>
      r.outcome === 'commands' && r.commands[0]!.kind === 'refund' ? [r.commands[0]!.body.refundId, r.commands[0]!.body.refundedTotal] : [];
    expect(identity(second)).toEqual(identity(first));
  });

  it('partial refund in JPY', () => {
    const event = revenuecatFixture('cancellation-refund');
    Object.assign(event.event, { currency: 'JPY', price_in_purchased_currency: -790 });
    expect(mapRawRevenueCatEvent(event)).toMatchObject({ commands: [{ body: { refundedTotal: 790, currency: 'jpy' } }] });
  });

  it.each([
    ['user turned off renewal', revenuecatFixture('cancellation-unsubscribe'), 'cancellation (UNSUBSCRIBE) is not a refund'],
    [
      'CUSTOMER_SUPPORT with price 0',
      { ...revenuecatFixture('cancellation-refund'), event: { ...revenuecatFixture('cancellation-refund').event, price_in_purchased_currency: 0 } },
      'CUSTOMER_SUPPORT cancellation without a negative price_in_purchased_currency: nothing refunded',
    ],
    [
      'CUSTOMER_SUPPORT with unknown price',
      { ...revenuecatFixture('cancellation-refund'), event: { ...revenuecatFixture('cancellation-refund').event, price_in_purchased_currency: null } },
      'CUSTOMER_SUPPORT cancellation without a negative price_in_purchased_currency: nothing refunded',
    ],
    [
      'no cancel_reason',
      { ...revenuecatFixture('cancellation-refund'), event: { ...revenuecatFixture('cancellation-refund').event, cancel_reason: null } },
      'cancellation (no reason) is not a refund',
    ],
    [
      'refund smaller than a cent',
      { ...revenuecatFixture('cancellation-refund'), event: { ...revenuecatFixture('cancellation-refund').event, price_in_purchased_currency: -0.001 } },
      'refund of -0.001 USD is 0 in Dub units',
    ],
  ])('%s: ignored', (_name, event, reason) => {
    expect(mapRawRevenueCatEvent(event)).toMatchObject({ outcome: 'ignored', reason });
  });
});
