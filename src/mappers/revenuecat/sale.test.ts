import { describe, expect, it } from 'vitest';
import { mapRawRevenueCatEvent, revenuecatFixture } from '../../../test/fixtures/revenuecat/index.js';

const ANON = '$RCAnonymousID:00000000000040008000000000000a01';
const saleOf = (result: ReturnType<typeof mapRawRevenueCatEvent>) =>
  result.outcome === 'commands' && result.commands[0]!.kind === 'sale' ? result.commands[0]!.body : undefined;

describe('INITIAL_PURCHASE / RENEWAL / NON_RENEWING_PURCHASE -> sale', () => {
  it('initial purchase: 9.99 USD, transaction id, attributes for customer and click', () => {
    expect(mapRawRevenueCatEvent(revenuecatFixture('initial-purchase'))).toEqual({
      outcome: 'commands',
      links: [{ source: 'revenuecat', providerCustomerId: ANON, externalId: 'user_dub_test_42' }],
      commands: [
        {
          kind: 'sale',
          body: {
            customerExternalId: 'user_dub_test_42',
            amount: 999,
            currency: 'usd',
            paymentProcessor: 'revenuecat',
            eventName: 'Subscription creation',
            invoiceId: '2000000999000001',
            clickId: 'clk_test_revenuecat_1',
            leadEventName: 'Sign up',
            customerName: 'Ada Lovelace',
            customerEmail: 'ada@example.com',
            metadata: {
              source: 'dub-bridge',
              revenuecatEventId: '00000000-0000-4000-8000-0000000e0001',
              revenuecatEventType: 'INITIAL_PURCHASE',
              revenuecatAppId: 'app_test_dubbridge01',
              revenuecatStore: 'APP_STORE',
              revenuecatEnvironment: 'PRODUCTION',
              revenuecatProductId: 'com.example.dubtest.pro.monthly',
              revenuecatTransactionId: '2000000999000001',
              revenuecatOriginalTransactionId: '2000000999000001',
              revenuecatAppUserId: 'user_dub_test_42',
              priceInPurchasedCurrency: '9.99',
              taxPercentage: 0,
            },
          },
        },
      ],
    });
  });

  it('renewal: price_in_purchased_currency in its currency (7.99 EUR), not the USD price', () => {
    expect(saleOf(mapRawRevenueCatEvent(revenuecatFixture('renewal-eur')))).toMatchObject({
      amount: 799,
      currency: 'eur',
      eventName: 'Subscription renewal',
      invoiceId: '2000000999000002',
    });
  });

  it('renewal that converts a trial is the first paid period: Subscription creation', () => {
    const event = revenuecatFixture('renewal-eur');
    event.event.is_trial_conversion = true;
    expect(saleOf(mapRawRevenueCatEvent(event))).toMatchObject({ eventName: 'Subscription creation' });
  });

  it.each([
    ['non-renewing-purchase-cad', 3299, 'cad'],
    ['non-renewing-purchase-jpy', 1580, 'jpy'],
  ] as const)('%s: Purchase of %i %s', (name, amount, currency) => {
    expect(saleOf(mapRawRevenueCatEvent(revenuecatFixture(name)))).toMatchObject({ amount, currency, eventName: 'Purchase' });
  });

  it.each([
    ['0.1 + 0.2', 0.1 + 0.2, 'USD', 30],
    ['2.675 (binary below .5)', 2.675, 'EUR', 268],
    ['12.345 KWD', 12.345, 'KWD', 1235],
    ['1e-7 rounds to 0: no sale', 1e-7, 'USD', null],
  ])('float price %s', (_name, price, currency, amount) => {
    const event = revenuecatFixture('initial-purchase');
    Object.assign(event.event, { price_in_purchased_currency: price, currency });
    const result = mapRawRevenueCatEvent(JSON.parse(JSON.stringify(event)));
    if (amount === null) expect(result).toMatchObject({ outcome: 'ignored', reason: 'INITIAL_PURCHASE price is 0.0000001 USD: no sale' });
    else expect(saleOf(result)).toMatchObject({ amount, currency: currency.toLowerCase() });
  });

  describe('customerExternalId', () => {
    const withIds = (appUserId: string, original: string | null, attrs: Record<string, unknown> = {}) => {
      const event = revenuecatFixture('initial-purchase');
      Object.assign(event.event, { app_user_id: appUserId, original_app_user_id: original, subscriber_attributes: attrs });
      return event;
    };
    it.each([
      ['the dubCustomerExternalId attribute first', withIds('rc_user_1', ANON, { dubCustomerExternalId: { value: 'merchant_9' } }), undefined, 'merchant_9'],
      ['else an identified app_user_id', withIds('rc_user_1', ANON), undefined, 'rc_user_1'],
      ['anonymous app_user_id: an identified original_app_user_id', withIds(ANON, 'rc_original_1'), undefined, 'rc_original_1'],
      ['anonymous app_user_id: the linked id before original_app_user_id', withIds(ANON, 'rc_original_1'), 'merchant_linked', 'merchant_linked'],
      ['all anonymous: the (stable) anonymous original_app_user_id', withIds('$RCAnonymousID:other', ANON), undefined, ANON],
      ['no original_app_user_id: app_user_id even anonymous', withIds(ANON, null), undefined, ANON],
    ])('%s', (_name, event, linkedExternalId, externalId) => {
      expect(saleOf(mapRawRevenueCatEvent(event, { linkedExternalId }))).toMatchObject({ customerExternalId: externalId });
    });

    it('an anonymous subscriber without a click id still sells, but learns no link', () => {
      const result = mapRawRevenueCatEvent(revenuecatFixture('non-renewing-purchase-jpy'));
      expect(result).toMatchObject({ outcome: 'commands', links: [] });
      expect(saleOf(result)).toMatchObject({
        customerExternalId: '$RCAnonymousID:00000000000040008000000000000b02',
        customerEmail: 'kenji@example.com',
        customerName: null,
      });
      expect(saleOf(result)?.clickId).toBeUndefined();
    });
  });

  it.each([
    ['unknown price (null)', { price_in_purchased_currency: null }, 'INITIAL_PURCHASE has no price_in_purchased_currency (unknown price)'],
    ['price 0 outside a trial', { price_in_purchased_currency: 0, period_type: 'INTRO' }, 'INITIAL_PURCHASE price is 0 USD: no sale'],
    ['no currency', { currency: null }, 'INITIAL_PURCHASE has no currency'],
    ['an absurd price', { price_in_purchased_currency: 1e300 }, expect.stringMatching(/^amount out of range/)],
  ])('%s is ignored', (_name, edit, reason) => {
    const event = revenuecatFixture('initial-purchase');
    Object.assign(event.event, edit);
    expect(mapRawRevenueCatEvent(event)).toMatchObject({ outcome: 'ignored', reason });
  });
});
