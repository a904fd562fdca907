import { describe, expect, it } from 'vitest';
import { lemonSqueezyFixture, mapRawLemonSqueezyEvent } from '../../../test/fixtures/lemonsqueezy/index.js';

describe('subscription_payment_success', () => {
  it('a renewal -> Subscription renewal sale of total − tax, ls_invoice_ invoice, no click id', () => {
    expect(mapRawLemonSqueezyEvent(lemonSqueezyFixture('subscription-payment-success'))).toStrictEqual({
      outcome: 'commands',
      commands: [
        {
          kind: 'sale',
          body: {
            customerExternalId: 'user_ls_77',
            amount: 2900,
            currency: 'usd',
            paymentProcessor: 'lemonsqueezy',
            eventName: 'Subscription renewal',
            invoiceId: 'ls_invoice_3362190',
            metadata: {
              source: 'dub-bridge',
              lemonSqueezyInvoiceId: '3362190',
              lemonSqueezySubscriptionId: '1047265',
              lemonSqueezyCustomerId: '2934471',
              lemonSqueezyBillingReason: 'renewal',
              lemonSqueezyWebhookId: '5b0c2f6e-4d1a-4c7b-9a7e-2f3c8d9e1a40',
            },
          },
        },
      ],
      links: [{ source: 'lemonsqueezy', providerCustomerId: '2934471', externalId: 'user_ls_77' }],
    });
  });

  it('billing_reason updated (plan change) is also a renewal sale', () => {
    const event = lemonSqueezyFixture('subscription-payment-success');
    event.data.attributes.billing_reason = 'updated';
    expect(mapRawLemonSqueezyEvent(event)).toMatchObject({ commands: [{ body: { eventName: 'Subscription renewal' } }] });
  });

  it('without custom data: the link of customer_id, else ls_customer_<id>', () => {
    const event = lemonSqueezyFixture('subscription-payment-success');
    event.meta.custom_data = null;
    expect(mapRawLemonSqueezyEvent(event, { testEvents: 'forward', linkedExternalId: 'user_ls_77' })).toMatchObject({
      commands: [{ body: { customerExternalId: 'user_ls_77' } }],
    });
    expect(mapRawLemonSqueezyEvent(event)).toMatchObject({ commands: [{ body: { customerExternalId: 'ls_customer_2934471' } }] });
  });

  it.each([
    ['initial', 'paid', 'initial subscription payment: its order_created is the sale'],
    ['refund', 'paid', 'billing_reason refund is not a renewal'],
    ['renewal', 'pending', 'subscription invoice is pending, not paid'],
  ])('billing_reason %s, status %s -> ignored', (billingReason, status, reason) => {
    const event = lemonSqueezyFixture('subscription-payment-success');
    Object.assign(event.data.attributes, { billing_reason: billingReason, status });
    expect(mapRawLemonSqueezyEvent(event)).toMatchObject({ outcome: 'ignored', reason });
  });

  it('an invoice that earned nothing before tax -> ignored', () => {
    const event = lemonSqueezyFixture('subscription-payment-success');
    Object.assign(event.data.attributes, { subtotal: 0, tax: 0, total: 0 });
    expect(mapRawLemonSqueezyEvent(event)).toMatchObject({ outcome: 'ignored', reason: 'subscription invoice earned nothing before tax' });
  });
});
