import { describe, expect, it } from 'vitest';
import { appleFixture, mapAppleFixture } from '../../../test/fixtures/apple/index.js';
import { inSaleBasis } from '../../deliver/refund.js';

describe('App Store refunds', () => {
  it('REFUND_FULL -> refund of the transaction: whole (100000/100000), fully refunded, refundId = transactionId', () => {
    expect(mapAppleFixture(appleFixture('refund-full'))).toStrictEqual({
      outcome: 'commands',
      links: [],
      commands: [
        {
          kind: 'refund',
          body: {
            refs: { invoiceId: '2000000000000001' },
            refundedTotal: 100000,
            paymentAmount: 100000,
            fullyRefunded: true,
            currency: 'usd',
            refundId: '2000000000000001',
            metadata: {
              source: 'dub-bridge',
              appleNotificationUUID: 'e4d1c2b3-a5f6-4e7d-8c9b-0a1b2c3d4e05',
              appleNotificationType: 'REFUND',
              appleBundleId: 'com.example',
              appleTransactionId: '2000000000000001',
              appleOriginalTransactionId: '2000000000000001',
              appleProductId: 'com.example.pro.monthly',
              appleStorefront: 'USA',
              appleRevocationType: 'REFUND_FULL',
              appleRevocationPercentage: 100000,
              appleRevocationReason: 0,
            },
          },
        },
      ],
    });
  });

  it('REFUND_PRORATED 33.333% -> refundedTotal 33333 of 100000; the ledger takes round-half-up(sale × 33333/100000) off', () => {
    const result = mapAppleFixture(appleFixture('refund-prorated'));
    expect(result).toMatchObject({
      outcome: 'commands',
      commands: [
        {
          kind: 'refund',
          body: { refs: { invoiceId: '2000000000000002' }, refundedTotal: 33333, paymentAmount: 100000, fullyRefunded: false, refundId: '2000000000000002' },
        },
      ],
    });
    // The 9.99 USD renewal (999 units): 332.99667 -> 333 units off.
    expect(inSaleBasis(33333, 100000, 999)).toBe(333);
  });

  it('a refund without revocationPercentage is the whole transaction', () => {
    const fixture = appleFixture('refund-prorated');
    delete fixture.transaction!.revocationPercentage;
    expect(mapAppleFixture(fixture)).toMatchObject({ commands: [{ body: { refundedTotal: 100000, fullyRefunded: true } }] });
  });

  it('REFUND of 0% -> ignored', () => {
    const fixture = appleFixture('refund-prorated');
    fixture.transaction!.revocationPercentage = 0;
    expect(mapAppleFixture(fixture)).toEqual({ outcome: 'ignored', reason: 'refund revokes 0% of the transaction', links: [] });
  });
});
