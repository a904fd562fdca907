import { describe, expect, it } from 'vitest';
import { mapRawStripeEvent, stripeFixture } from '../../../test/fixtures/stripe/index.js';

const PAYMENT_EVENT = 'evt_1QyPkS2eZvKYlo2CWbF7xR3n';
const PAYMENT_SESSION = 'cs_test_a1Kq9XbT3vR8mN2pL5sD7fG4hJ6kL8zX0cV2bN4mQ6wE8rT1yU3iO5pA7sD9fG';
const PAYMENT_INTENT = 'pi_3QyPkQ2eZvKYlo2C1aBcDeFg';
const ADA = 'cus_RqB3cD4eF5gH6i';
const adaLink = { source: 'stripe', providerCustomerId: ADA, externalId: 'user_4242' };

type Overrides = Record<string, unknown>;

/** Overrides set to undefined remove the key, as the mappers never emit undefined values. */
const merge = (base: Overrides, overrides: Overrides) =>
  Object.fromEntries(Object.entries({ ...base, ...overrides }).filter(([, value]) => value !== undefined));

/** The sale the payment fixture produces; tests override what their change affects. */
function paymentSale(body: Overrides = {}, metadata: Overrides = {}, refs: Overrides = {}) {
  const saleMetadata = merge(
    {
      source: 'dub-bridge',
      stripeEventId: PAYMENT_EVENT,
      stripeCheckoutSessionId: PAYMENT_SESSION,
      stripeCustomerId: ADA,
      stripePaymentIntentId: PAYMENT_INTENT,
    },
    metadata,
  );
  return {
    kind: 'sale',
    body: merge(
      {
        customerExternalId: 'user_4242',
        amount: 10000,
        currency: 'usd',
        paymentProcessor: 'stripe',
        eventName: 'Purchase',
        invoiceId: PAYMENT_INTENT,
        metadata: saleMetadata,
        clickId: 'Jk8sP2qLmN4vXy7Z',
        leadEventName: 'Sign up',
        customerName: 'Ada Lovelace',
        customerEmail: 'ada@example.com',
      },
      body,
    ),
    refs: merge({ paymentIntent: PAYMENT_INTENT, checkoutSession: PAYMENT_SESSION }, refs),
  };
}

describe('checkout.session.completed', () => {
  it('paid payment session -> sale without tax, with click id and customer details', () => {
    expect(mapRawStripeEvent(stripeFixture('checkout-session-completed-payment'))).toStrictEqual({
      outcome: 'commands',
      commands: [paymentSale()],
      links: [adaLink],
    });
  });

  it('setup mode -> ignored, the customer link is still stored', () => {
    expect(mapRawStripeEvent(stripeFixture('checkout-session-completed-setup'))).toStrictEqual({
      outcome: 'ignored',
      reason: 'checkout session in setup mode collects no payment',
      links: [{ source: 'stripe', providerCustomerId: 'cus_RxY5zA6bC7dE8f', externalId: 'user_1912' }],
    });
  });

  it('subscription session -> "Subscription creation" sale keyed by its first invoice', () => {
    const result = mapRawStripeEvent(stripeFixture('checkout-session-completed-subscription'));
    expect(result).toStrictEqual({
      outcome: 'commands',
      commands: [
        {
          kind: 'sale',
          body: {
            customerExternalId: 'user_7781',
            amount: 2900,
            currency: 'usd',
            paymentProcessor: 'stripe',
            eventName: 'Subscription creation',
            invoiceId: 'in_1QzSuc2eZvKYlo2CaB1cD2eF',
            metadata: {
              source: 'dub-bridge',
              stripeEventId: 'evt_1QzSub2eZvKYlo2CkT9uV0wX',
              stripeCheckoutSessionId: 'cs_test_b1Zx8YcW4uS9oP3qM6tE8gH5jK7lZ9xC1vB3nM5qW7eR9tY2uI4oP6aS8dF0gH',
              stripeCustomerId: 'cus_RsT7uV8wX9yZ0a',
              stripeSubscriptionId: 'sub_1QzSuc2eZvKYlo2CmN3oP4qR',
              stripeInvoiceId: 'in_1QzSuc2eZvKYlo2CaB1cD2eF',
            },
            clickId: 'Pq3rS5tU7vW9xY1z',
            leadEventName: 'Sign up',
            customerName: 'Grace Hopper',
            customerEmail: 'grace@example.com',
          },
          refs: {
            stripeInvoice: 'in_1QzSuc2eZvKYlo2CaB1cD2eF',
            checkoutSession: 'cs_test_b1Zx8YcW4uS9oP3qM6tE8gH5jK7lZ9xC1vB3nM5qW7eR9tY2uI4oP6aS8dF0gH',
          },
        },
      ],
      links: [{ source: 'stripe', providerCustomerId: 'cus_RsT7uV8wX9yZ0a', externalId: 'user_7781' }],
    });
  });

  it('no invoice and no payment intent -> the session id is the invoiceId', () => {
    const event = stripeFixture('checkout-session-completed-payment');
    event.data.object.payment_intent = null;
    const expected = paymentSale({ invoiceId: PAYMENT_SESSION }, { stripePaymentIntentId: undefined }, { paymentIntent: undefined });
    expect(mapRawStripeEvent(event)).toStrictEqual({ outcome: 'commands', commands: [expected], links: [adaLink] });
  });

  it('paid without a click id -> sale without clickId, leadEventName or customer details', () => {
    const event = stripeFixture('checkout-session-completed-payment');
    event.data.object.client_reference_id = 'order_5521';
    const noClick = { clickId: undefined, leadEventName: undefined, customerName: undefined, customerEmail: undefined };
    expect(mapRawStripeEvent(event)).toStrictEqual({
      outcome: 'commands',
      commands: [paymentSale(noClick)],
      links: [adaLink],
    });
  });

  it('click id from metadata.dubClickId when client_reference_id is not dub_id_', () => {
    const event = stripeFixture('checkout-session-completed-payment');
    event.data.object.client_reference_id = null;
    event.data.object.metadata.dubClickId = 'FromMetadata01';
    const result = mapRawStripeEvent(event);
    expect(result).toMatchObject({ commands: [{ body: { clickId: 'FromMetadata01' } }] });
  });

  it('unpaid (delayed method) with a click id -> "Sign up" lead, link stored', () => {
    const event = stripeFixture('checkout-session-completed-payment');
    event.data.object.payment_status = 'unpaid';
    expect(mapRawStripeEvent(event)).toStrictEqual({
      outcome: 'commands',
      commands: [
        {
          kind: 'lead',
          body: {
            clickId: 'Jk8sP2qLmN4vXy7Z',
            eventName: 'Sign up',
            customerExternalId: 'user_4242',
            customerName: 'Ada Lovelace',
            customerEmail: 'ada@example.com',
            metadata: {
              source: 'dub-bridge',
              stripeEventId: PAYMENT_EVENT,
              stripeCheckoutSessionId: PAYMENT_SESSION,
              stripeCustomerId: ADA,
              stripePaymentIntentId: PAYMENT_INTENT,
            },
          },
        },
      ],
      links: [adaLink],
    });
  });

  it('unpaid without a click id -> ignored, link stored', () => {
    const event = stripeFixture('checkout-session-completed-payment');
    event.data.object.payment_status = 'unpaid';
    event.data.object.client_reference_id = null;
    expect(mapRawStripeEvent(event)).toStrictEqual({
      outcome: 'ignored',
      reason: 'checkout session not paid yet and no Dub click id',
      links: [adaLink],
    });
  });

  it.each([
    ['trial (no_payment_required)', 'no_payment_required'],
    ['100% coupon (paid)', 'paid'],
  ])('amount 0, %s -> "Sign up" lead with the click id', (_, paymentStatus) => {
    const event = stripeFixture('checkout-session-completed-subscription');
    Object.assign(event.data.object, { amount_subtotal: 2900, amount_total: 0, payment_status: paymentStatus });
    event.data.object.total_details.amount_discount = 2900;
    const result = mapRawStripeEvent(event);
    expect(result).toMatchObject({
      outcome: 'commands',
      commands: [{ kind: 'lead', body: { clickId: 'Pq3rS5tU7vW9xY1z', eventName: 'Sign up', customerExternalId: 'user_7781' } }],
      links: [{ source: 'stripe', providerCustomerId: 'cus_RsT7uV8wX9yZ0a', externalId: 'user_7781' }],
    });
  });

  it('amount 0 without a click id -> ignored naming the trial/coupon case', () => {
    const event = stripeFixture('checkout-session-completed-subscription');
    Object.assign(event.data.object, { amount_total: 0, payment_status: 'no_payment_required', client_reference_id: null });
    expect(mapRawStripeEvent(event)).toMatchObject({
      outcome: 'ignored',
      reason: 'checkout session amount is 0 (trial or 100% coupon) and no Dub click id',
    });
  });

  it('no_payment_required with an amount > 0 -> sale', () => {
    const event = stripeFixture('checkout-session-completed-payment');
    event.data.object.payment_status = 'no_payment_required';
    expect(mapRawStripeEvent(event)).toStrictEqual({ outcome: 'commands', commands: [paymentSale()], links: [adaLink] });
  });

  it('legacy metadata.dubCustomerId is the external id and is linked', () => {
    const event = stripeFixture('checkout-session-completed-payment');
    event.data.object.metadata = { dubCustomerId: 'legacy_99' };
    expect(mapRawStripeEvent(event)).toStrictEqual({
      outcome: 'commands',
      commands: [paymentSale({ customerExternalId: 'legacy_99' })],
      links: [{ source: 'stripe', providerCustomerId: ADA, externalId: 'legacy_99' }],
    });
  });

  it('dubCustomerExternalId wins over legacy dubCustomerId and over the stored link', () => {
    const event = stripeFixture('checkout-session-completed-payment');
    event.data.object.metadata.dubCustomerId = 'legacy_99';
    const result = mapRawStripeEvent(event, { testEvents: 'forward', linkedExternalId: 'linked_1' });
    expect(result).toStrictEqual({ outcome: 'commands', commands: [paymentSale()], links: [adaLink] });
  });

  it('guest checkout: no metadata, no customer -> customer_details.email, no link', () => {
    const event = stripeFixture('checkout-session-completed-payment');
    Object.assign(event.data.object, { customer: null, metadata: {} });
    const expected = paymentSale({ customerExternalId: 'ada@example.com' }, { stripeCustomerId: undefined });
    expect(mapRawStripeEvent(event)).toStrictEqual({ outcome: 'commands', commands: [expected], links: [] });
  });

  it('only a cus_ id -> the stored link, else the cus_ id itself', () => {
    const event = stripeFixture('checkout-session-completed-payment');
    event.data.object.metadata = {};
    expect(mapRawStripeEvent(event, { testEvents: 'forward', linkedExternalId: 'user_4242' })).toStrictEqual({
      outcome: 'commands',
      commands: [paymentSale()],
      links: [],
    });
    expect(mapRawStripeEvent(event)).toStrictEqual({
      outcome: 'commands',
      commands: [paymentSale({ customerExternalId: ADA })],
      links: [],
    });
  });

  it('no customer at all -> ignored with the reason', () => {
    const event = stripeFixture('checkout-session-completed-payment');
    Object.assign(event.data.object, { customer: null, metadata: {}, customer_details: null });
    expect(mapRawStripeEvent(event)).toStrictEqual({
      outcome: 'ignored',
      reason: 'checkout session names no customer (no dubCustomerExternalId, Stripe customer or email)',
      links: [],
    });
  });

  it('JPY is zero-decimal: Stripe amount is already Dub units', () => {
    const event = stripeFixture('checkout-session-completed-payment');
    Object.assign(event.data.object, { currency: 'jpy', amount_subtotal: 1500, amount_total: 1650 });
    event.data.object.total_details.amount_tax = 150;
    expect(mapRawStripeEvent(event)).toStrictEqual({
      outcome: 'commands',
      commands: [paymentSale({ amount: 1500, currency: 'jpy' })],
      links: [adaLink],
    });
  });

  it('KWD is three-decimal: thousandths -> hundredths, exact amount kept in metadata', () => {
    const event = stripeFixture('checkout-session-completed-payment');
    Object.assign(event.data.object, { currency: 'kwd', amount_subtotal: 12340, amount_total: 12340 });
    event.data.object.total_details.amount_tax = 0;
    expect(mapRawStripeEvent(event)).toStrictEqual({
      outcome: 'commands',
      commands: [paymentSale({ amount: 1234, currency: 'kwd' }, { originalAmount: '12.340', originalCurrency: 'kwd' })],
      links: [adaLink],
    });
  });
});

describe('checkout.session.async_payment_succeeded', () => {
  const sepaSale = {
    kind: 'sale',
    body: {
      customerExternalId: 'cus_RvW1xY2zA3bC4d',
      amount: 4900,
      currency: 'eur',
      paymentProcessor: 'stripe',
      eventName: 'Purchase',
      invoiceId: 'pi_3R2Sepa2eZvKYlo2C0aBcDeFg',
      metadata: {
        source: 'dub-bridge',
        stripeEventId: 'evt_1R2Sepa2eZvKYlo2CdE3fG4hI',
        stripeCheckoutSessionId: 'cs_test_c1Mn7BvC5xZ3lK9jH1gF3dS5aP7oI9uY2tR4eW6qM8nB0vC2xZ4lK6jH8gF0dS',
        stripeCustomerId: 'cus_RvW1xY2zA3bC4d',
        stripePaymentIntentId: 'pi_3R2Sepa2eZvKYlo2C0aBcDeFg',
      },
      clickId: 'Zy9xW8vU7tS6rQ5p',
      leadEventName: 'Sign up',
      customerName: 'Emmy Noether',
      customerEmail: 'emmy@example.de',
    },
    refs: {
      paymentIntent: 'pi_3R2Sepa2eZvKYlo2C0aBcDeFg',
      checkoutSession: 'cs_test_c1Mn7BvC5xZ3lK9jH1gF3dS5aP7oI9uY2tR4eW6qM8nB0vC2xZ4lK6jH8gF0dS',
    },
  };

  it('SEPA payment arrived -> the sale a paid completed session gives', () => {
    const asyncEvent = stripeFixture('checkout-session-async-payment-succeeded');
    expect(mapRawStripeEvent(asyncEvent)).toStrictEqual({ outcome: 'commands', commands: [sepaSale], links: [] });

    const completed = stripeFixture('checkout-session-async-payment-succeeded');
    completed.type = 'checkout.session.completed';
    expect(mapRawStripeEvent(completed)).toStrictEqual(mapRawStripeEvent(asyncEvent));
  });

  it('the same session completed while still unpaid -> only the lead', () => {
    const completed = stripeFixture('checkout-session-async-payment-succeeded');
    completed.type = 'checkout.session.completed';
    completed.data.object.payment_status = 'unpaid';
    expect(mapRawStripeEvent(completed)).toMatchObject({
      outcome: 'commands',
      commands: [{ kind: 'lead', body: { clickId: 'Zy9xW8vU7tS6rQ5p', customerExternalId: 'cus_RvW1xY2zA3bC4d' } }],
    });
  });
});
