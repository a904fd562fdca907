import { describe, expect, it } from 'vitest';
import { mapRawPolarEvent, POLAR_WEBHOOK_ID, polarFixture } from '../../../test/fixtures/polar/index.js';

const CUSTOMER = '00000000-0000-4000-8000-00000000c001';
const ids = (orderId: string, billingReason: string, extra: Record<string, string> = {}) => ({
  source: 'dub-bridge',
  polarWebhookId: POLAR_WEBHOOK_ID,
  polarOrderId: orderId,
  polarCustomerId: CUSTOMER,
  polarProductId: '00000000-0000-4000-8000-00000000f001',
  polarBillingReason: billingReason,
  ...extra,
});

describe('order.paid -> sale', () => {
  it('subscription_create: net_amount (after discount, before tax), external_id, click id', () => {
    expect(mapRawPolarEvent(polarFixture('order-paid-subscription-create'))).toEqual({
      outcome: 'commands',
      links: [{ source: 'polar', providerCustomerId: CUSTOMER, externalId: 'user_dub_test_42' }],
      commands: [
        {
          kind: 'sale',
          body: {
            customerExternalId: 'user_dub_test_42',
            amount: 9000,
            currency: 'usd',
            paymentProcessor: 'polar',
            eventName: 'Subscription creation',
            invoiceId: '00000000-0000-4000-8000-0000000000d1',
            clickId: 'clk_test_polar_1',
            leadEventName: 'Sign up',
            customerName: 'Ada Lovelace',
            customerEmail: 'ada@example.com',
            metadata: ids('00000000-0000-4000-8000-0000000000d1', 'subscription_create', {
              polarSubscriptionId: '00000000-0000-4000-8000-00000000b001',
              polarCheckoutId: '00000000-0000-4000-8000-00000000e001',
            }),
          },
        },
      ],
    });
  });

  it('purchase in EUR: merchant id from checkout metadata when the customer has no external_id', () => {
    const result = mapRawPolarEvent(polarFixture('order-paid-purchase'));
    expect(result).toMatchObject({
      outcome: 'commands',
      links: [{ source: 'polar', providerCustomerId: CUSTOMER, externalId: 'merchant_user_77' }],
      commands: [
        {
          kind: 'sale',
          body: {
            customerExternalId: 'merchant_user_77',
            amount: 4900,
            currency: 'eur',
            eventName: 'Purchase',
            clickId: 'clk_test_polar_2',
            customerName: 'Grace Hopper',
            customerEmail: 'grace@example.com',
          },
        },
      ],
    });
  });

  it('customer.external_id wins over metadata.dubCustomerExternalId', () => {
    const event = polarFixture('order-paid-purchase');
    event.data.customer.external_id = 'from_customer';
    expect(mapRawPolarEvent(event)).toMatchObject({ commands: [{ body: { customerExternalId: 'from_customer' } }] });
  });

  it('renewal without ids: the linked external id, no click id, no new link', () => {
    const result = mapRawPolarEvent(polarFixture('order-paid-renewal'), { testEvents: 'forward', linkedExternalId: 'user_dub_test_42' });
    expect(result).toMatchObject({
      outcome: 'commands',
      links: [],
      commands: [{ body: { customerExternalId: 'user_dub_test_42', amount: 10000, eventName: 'Subscription renewal' } }],
    });
    expect(result.outcome === 'commands' && result.commands[0]!.kind === 'sale' && result.commands[0]!.body.clickId).toBe(undefined);
  });

  it('renewal without ids and without a link: Polar customer id', () => {
    expect(mapRawPolarEvent(polarFixture('order-paid-renewal'))).toMatchObject({ commands: [{ body: { customerExternalId: CUSTOMER } }] });
  });

  it.each([
    ['purchase', 'Purchase'],
    ['subscription_create', 'Subscription creation'],
    ['subscription_cycle', 'Subscription renewal'],
    ['subscription_update', 'Subscription renewal'],
    ['subscription_meter_cycle', 'Subscription renewal'],
    ['a_reason_polar_adds_later', 'Purchase'],
  ])('billing_reason %s -> eventName %s', (reason, eventName) => {
    const event = polarFixture('order-paid-subscription-create');
    event.data.billing_reason = reason;
    expect(mapRawPolarEvent(event)).toMatchObject({ commands: [{ body: { eventName } }] });
  });

  it.each([
    ['JPY stays whole units', 'jpy', 1580, 1580],
    ['uppercase currency is lowercased', 'USD', 999, 999],
    ['three-decimal minor units (thousandths) round half up to cents', 'kwd', 12345, 1235],
  ])('%s', (_name, currency, net, amount) => {
    const event = polarFixture('order-paid-purchase');
    Object.assign(event.data, { currency, net_amount: net });
    expect(mapRawPolarEvent(event)).toMatchObject({ commands: [{ body: { amount, currency: currency.toLowerCase() } }] });
  });

  it('a non-string click id in metadata is not used', () => {
    const event = polarFixture('order-paid-subscription-create');
    event.data.metadata = { dubClickId: 12345 };
    const result = mapRawPolarEvent(event);
    expect(result).toMatchObject({ outcome: 'commands' });
    expect(result.outcome === 'commands' && result.commands[0]!.kind === 'sale' && result.commands[0]!.body.clickId).toBe(undefined);
  });

  it('free order (net_amount 0) is ignored, the customer link is still stored', () => {
    expect(mapRawPolarEvent(polarFixture('order-paid-free'))).toEqual({
      outcome: 'ignored',
      reason: 'order 00000000-0000-4000-8000-0000000000d4 has net_amount 0 (free or fully discounted)',
      links: [{ source: 'polar', providerCustomerId: CUSTOMER, externalId: 'user_dub_test_42' }],
    });
  });
});
