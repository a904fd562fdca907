import { describe, expect, it } from 'vitest';
import { lemonSqueezyFixture, mapRawLemonSqueezyEvent } from '../../../test/fixtures/lemonsqueezy/index.js';

describe('order_refunded / subscription_payment_refunded', () => {
  it('a partial order refund -> cumulative refundedTotal with paymentAmount = total (scaled to the pre-tax sale later)', () => {
    expect(mapRawLemonSqueezyEvent(lemonSqueezyFixture('order-refunded'))).toStrictEqual({
      outcome: 'commands',
      commands: [
        {
          kind: 'refund',
          body: {
            refs: { invoiceId: 'ls_order_4821357' },
            refundedTotal: 600,
            paymentAmount: 1199,
            fullyRefunded: false,
            currency: 'usd',
            refundId: 'ls_order_4821357',
            metadata: {
              source: 'dub-bridge',
              lemonSqueezyOrderId: '4821357',
              lemonSqueezyCustomerId: '2934471',
              lemonSqueezyWebhookId: '5b0c2f6e-4d1a-4c7b-9a7e-2f3c8d9e1a40',
            },
          },
        },
      ],
      links: [],
    });
  });

  it.each([
    ['refunded', 1199, true],
    ['partial_refund', 1199, true],
    ['partial_refund', 1198, false],
  ])('status %s, refunded_amount %i -> fullyRefunded %s', (status, refundedAmount, full) => {
    const event = lemonSqueezyFixture('order-refunded');
    Object.assign(event.data.attributes, { status, refunded_amount: refundedAmount });
    expect(mapRawLemonSqueezyEvent(event)).toMatchObject({ commands: [{ body: { refundedTotal: refundedAmount, fullyRefunded: full } }] });
  });

  it('a repeated event carries the same cumulative total (same outbox key); a second partial refund a larger one', () => {
    const first = mapRawLemonSqueezyEvent(lemonSqueezyFixture('order-refunded'));
    const again = mapRawLemonSqueezyEvent(lemonSqueezyFixture('order-refunded'));
    const later = lemonSqueezyFixture('order-refunded');
    later.data.attributes.refunded_amount = 900;
    expect(again).toStrictEqual(first);
    expect(mapRawLemonSqueezyEvent(later)).toMatchObject({ commands: [{ body: { refundId: 'ls_order_4821357', refundedTotal: 900 } }] });
  });

  it('a whole subscription-invoice refund -> refund of ls_invoice_<id>, fully refunded', () => {
    expect(mapRawLemonSqueezyEvent(lemonSqueezyFixture('subscription-payment-refunded'))).toMatchObject({
      outcome: 'commands',
      commands: [
        {
          kind: 'refund',
          body: { refs: { invoiceId: 'ls_invoice_3362190' }, refundedTotal: 3480, paymentAmount: 3480, fullyRefunded: true, refundId: 'ls_invoice_3362190' },
        },
      ],
    });
  });

  it('the initial invoice has no sale of its own -> ignored (its order_refunded adjusts the order sale)', () => {
    const event = lemonSqueezyFixture('subscription-payment-refunded');
    event.data.attributes.billing_reason = 'initial';
    expect(mapRawLemonSqueezyEvent(event)).toMatchObject({ outcome: 'ignored', reason: expect.stringMatching(/^refund of the initial subscription payment/) });
  });

  it('refunded_amount 0 -> ignored; absent on a refunded order -> the whole total', () => {
    const none = lemonSqueezyFixture('order-refunded');
    none.data.attributes.refunded_amount = 0;
    expect(mapRawLemonSqueezyEvent(none)).toMatchObject({ outcome: 'ignored', reason: 'nothing refunded (refunded_amount 0)' });
    const legacy = lemonSqueezyFixture('order-refunded');
    delete legacy.data.attributes.refunded_amount;
    legacy.data.attributes.status = 'refunded';
    expect(mapRawLemonSqueezyEvent(legacy)).toMatchObject({ commands: [{ body: { refundedTotal: 1199, fullyRefunded: true } }] });
  });
});
