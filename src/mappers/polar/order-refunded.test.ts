import { describe, expect, it } from 'vitest';
import { mapRawPolarEvent, POLAR_WEBHOOK_ID, polarFixture } from '../../../test/fixtures/polar/index.js';

const ORDER = '00000000-0000-4000-8000-0000000000d1';

describe('order.refunded -> refund', () => {
  it('partial: cumulative pre-tax refunded_amount, named by the order id', () => {
    expect(mapRawPolarEvent(polarFixture('order-refunded-partial'))).toEqual({
      outcome: 'commands',
      links: [{ source: 'polar', providerCustomerId: '00000000-0000-4000-8000-00000000c001', externalId: 'user_dub_test_42' }],
      commands: [
        {
          kind: 'refund',
          body: {
            refs: { invoiceId: ORDER },
            refundedTotal: 3000,
            fullyRefunded: false,
            currency: 'usd',
            refundId: ORDER,
            metadata: {
              source: 'dub-bridge',
              polarWebhookId: POLAR_WEBHOOK_ID,
              polarOrderId: ORDER,
              polarCustomerId: '00000000-0000-4000-8000-00000000c001',
              polarSubscriptionId: '00000000-0000-4000-8000-00000000b001',
              polarCheckoutId: '00000000-0000-4000-8000-00000000e001',
              polarProductId: '00000000-0000-4000-8000-00000000f001',
              polarBillingReason: 'subscription_create',
              polarOrderStatus: 'partially_refunded',
            },
          },
        },
      ],
    });
  });

  it('full: status refunded -> fullyRefunded, total = net_amount', () => {
    expect(mapRawPolarEvent(polarFixture('order-refunded-full'))).toMatchObject({
      commands: [{ body: { refundedTotal: 9000, fullyRefunded: true, refundId: ORDER } }],
    });
  });

  it('refunded_amount reaching net_amount is full even if the status lags', () => {
    const event = polarFixture('order-refunded-full');
    event.data.status = 'partially_refunded';
    expect(mapRawPolarEvent(event)).toMatchObject({ commands: [{ body: { fullyRefunded: true } }] });
  });

  it('customer balance used: refunds are scaled from net + applied balance to the sale (net_amount)', () => {
    const event = polarFixture('order-refunded-partial');
    Object.assign(event.data, { applied_balance_amount: -4500, refunded_amount: 2250, status: 'partially_refunded' });
    expect(mapRawPolarEvent(event)).toMatchObject({
      commands: [{ body: { refundedTotal: 2250, paymentAmount: 4500, fullyRefunded: false } }],
    });
  });

  it('two events with different totals get different refund keys; a redelivery the same', () => {
    const partial = mapRawPolarEvent(polarFixture('order-refunded-partial'));
    const full = mapRawPolarEvent(polarFixture('order-refunded-full'));
    const again = mapRawPolarEvent(polarFixture('order-refunded-full'), undefined, 'msg_other_delivery');
    const key = (r: typeof partial) =>
      r.outcome === 'commands' && r.commands[0]!.kind === 'refund' ? `${r.commands[0]!.body.refundId}:${r.commands[0]!.body.refundedTotal}` : '';
    expect(key(partial)).not.toBe(key(full));
    expect(key(again)).toBe(key(full));
  });

  it.each([
    ['nothing refunded yet', { refunded_amount: 0 }, `order ${ORDER} has refunded_amount 0`],
    ['an order that never was a sale', { net_amount: 0 }, `order ${ORDER} was never a sale (net_amount 0)`],
  ])('%s is ignored', (_name, edit, reason) => {
    const event = polarFixture('order-refunded-partial');
    Object.assign(event.data, edit);
    expect(mapRawPolarEvent(event)).toMatchObject({ outcome: 'ignored', reason });
  });
});
