import { describe, expect, it } from 'vitest';
import { mapRawStripeEvent, stripeFixture } from '../../../test/fixtures/stripe/index.js';

const FIRST_INVOICE = 'in_1QzSuc2eZvKYlo2CaB1cD2eF';
const GRACE = 'cus_RsT7uV8wX9yZ0a';
const GRACE_SUBSCRIPTION = 'sub_1QzSuc2eZvKYlo2CmN3oP4qR';

const RENEWAL = 'in_1R8Ren2eZvKYlo2CgH7iJ8kL';
const ADA = 'cus_RqB3cD4eF5gH6i';

/** The sale the legacy-API renewal fixture produces for a given customer. */
function renewalSale(customerExternalId: string, amount = 5000) {
  return {
    kind: 'sale',
    body: {
      customerExternalId,
      amount,
      currency: 'usd',
      paymentProcessor: 'stripe',
      eventName: 'Invoice paid',
      invoiceId: RENEWAL,
      metadata: {
        source: 'dub-bridge',
        stripeEventId: 'evt_1R8Ren2eZvKYlo2CpQ4rS5tU',
        stripeInvoiceId: RENEWAL,
        stripeCustomerId: ADA,
        stripeSubscriptionId: 'sub_1Q5Team2eZvKYlo2CxY6zA7bC',
        stripePaymentIntentId: 'pi_3R8Ren2eZvKYlo2C1xY2zA3b',
        stripeChargeId: 'ch_3R8Ren2eZvKYlo2C0mN1oP2q',
        stripeBillingReason: 'subscription_cycle',
      },
    },
    refs: {
      paymentIntent: 'pi_3R8Ren2eZvKYlo2C1xY2zA3b',
      charge: 'ch_3R8Ren2eZvKYlo2C0mN1oP2q',
      stripeInvoice: RENEWAL,
    },
  };
}

describe('invoice.paid', () => {
  it('renewal with only cus_ (legacy API) -> sale for the linked customer, tax removed', () => {
    const result = mapRawStripeEvent(stripeFixture('invoice-paid-renewal-legacy-api'), {
      testEvents: 'forward',
      linkedExternalId: 'user_4242',
    });
    expect(result).toStrictEqual({ outcome: 'commands', commands: [renewalSale('user_4242')], links: [] });
  });

  it('renewal without a stored link -> the cus_ id is the external id', () => {
    expect(mapRawStripeEvent(stripeFixture('invoice-paid-renewal-legacy-api'))).toStrictEqual({
      outcome: 'commands',
      commands: [renewalSale(ADA)],
      links: [],
    });
  });

  it('partial payment -> amount_paid (not total_excluding_tax)', () => {
    const event = stripeFixture('invoice-paid-renewal-legacy-api');
    event.data.object.amount_paid = 2000;
    expect(mapRawStripeEvent(event)).toStrictEqual({
      outcome: 'commands',
      commands: [renewalSale(ADA, 2000)],
      links: [],
    });
  });

  it('paid in full with total_excluding_tax null -> amount_paid', () => {
    const event = stripeFixture('invoice-paid-renewal-legacy-api');
    event.data.object.total_excluding_tax = null;
    expect(mapRawStripeEvent(event)).toStrictEqual({
      outcome: 'commands',
      commands: [renewalSale(ADA, 5350)],
      links: [],
    });
  });

  it('amount_paid 0 (trial, credit) -> ignored', () => {
    const event = stripeFixture('invoice-paid-subscription-create');
    Object.assign(event.data.object, { amount_due: 0, amount_paid: 0, total: 0, total_excluding_tax: 0 });
    expect(mapRawStripeEvent(event)).toStrictEqual({
      outcome: 'ignored',
      reason: 'invoice paid nothing (amount_paid 0: trial, coupon or credit)',
      links: [],
    });
  });

  it('subscription checkout and its first invoice -> the same invoiceId, amount and customer', () => {
    const checkout = mapRawStripeEvent(stripeFixture('checkout-session-completed-subscription'));
    // By the time the invoice is mapped the checkout's link (cus_ -> user_7781) is known.
    const invoice = mapRawStripeEvent(stripeFixture('invoice-paid-subscription-create'), {
      testEvents: 'forward',
      linkedExternalId: 'user_7781',
    });
    expect(invoice).toStrictEqual({
      outcome: 'commands',
      commands: [
        {
          kind: 'sale',
          body: {
            customerExternalId: 'user_7781',
            amount: 2900,
            currency: 'usd',
            paymentProcessor: 'stripe',
            eventName: 'Invoice paid',
            invoiceId: FIRST_INVOICE,
            metadata: {
              source: 'dub-bridge',
              stripeEventId: 'evt_1QzSud2eZvKYlo2CyZ8xW7vU',
              stripeInvoiceId: FIRST_INVOICE,
              stripeCustomerId: GRACE,
              stripeSubscriptionId: GRACE_SUBSCRIPTION,
              stripeBillingReason: 'subscription_create',
            },
          },
          refs: { stripeInvoice: FIRST_INVOICE },
        },
      ],
      links: [],
    });
    const saleOf = (result: typeof checkout) => (result.outcome === 'commands' && result.commands[0]?.kind === 'sale' ? result.commands[0].body : undefined);
    expect(saleOf(checkout)).toMatchObject({
      invoiceId: FIRST_INVOICE,
      amount: 2900,
      customerExternalId: 'user_7781',
    });
    expect(saleOf(invoice)?.invoiceId).toBe(saleOf(checkout)?.invoiceId);
  });

  it('newer API: parent.subscription_details metadata and invoice payments', () => {
    const event = stripeFixture('invoice-paid-subscription-create');
    event.data.object.parent.subscription_details.metadata = {
      dubCustomerExternalId: 'user_7781',
      dubClickId: 'SubMeta0Click1',
    };
    event.data.object.payments = {
      object: 'list',
      data: [
        {
          id: 'inpay_1QzSuc2eZvKYlo2CpA1yM2nT',
          object: 'invoice_payment',
          amount_paid: 2900,
          amount_requested: 2900,
          currency: 'usd',
          invoice: FIRST_INVOICE,
          is_default: true,
          livemode: true,
          payment: { payment_intent: 'pi_3QzSuc2eZvKYlo2C0pQ1rS2t', type: 'payment_intent' },
          status: 'paid',
          status_transitions: { canceled_at: null, paid_at: 1741432799 },
        },
      ],
      has_more: false,
      url: '/v1/invoice_payments',
    };
    expect(mapRawStripeEvent(event)).toStrictEqual({
      outcome: 'commands',
      commands: [
        {
          kind: 'sale',
          body: {
            customerExternalId: 'user_7781',
            amount: 2900,
            currency: 'usd',
            paymentProcessor: 'stripe',
            eventName: 'Invoice paid',
            invoiceId: FIRST_INVOICE,
            metadata: {
              source: 'dub-bridge',
              stripeEventId: 'evt_1QzSud2eZvKYlo2CyZ8xW7vU',
              stripeInvoiceId: FIRST_INVOICE,
              stripeCustomerId: GRACE,
              stripeSubscriptionId: GRACE_SUBSCRIPTION,
              stripePaymentIntentId: 'pi_3QzSuc2eZvKYlo2C0pQ1rS2t',
              stripeBillingReason: 'subscription_create',
            },
            clickId: 'SubMeta0Click1',
            leadEventName: 'Sign up',
            customerName: 'Grace Hopper',
            customerEmail: 'grace@example.com',
          },
          refs: { paymentIntent: 'pi_3QzSuc2eZvKYlo2C0pQ1rS2t', stripeInvoice: FIRST_INVOICE },
        },
      ],
      links: [{ source: 'stripe', providerCustomerId: GRACE, externalId: 'user_7781' }],
    });
  });

  it('legacy API: subscription_details.metadata carries the merchant id', () => {
    const event = stripeFixture('invoice-paid-renewal-legacy-api');
    event.data.object.subscription_details.metadata = { dubCustomerExternalId: 'team_5' };
    expect(mapRawStripeEvent(event, { testEvents: 'forward', linkedExternalId: 'stale_link' })).toStrictEqual({
      outcome: 'commands',
      commands: [renewalSale('team_5')],
      links: [{ source: 'stripe', providerCustomerId: ADA, externalId: 'team_5' }],
    });
  });

  it('invoice without customer -> customer_email', () => {
    const event = stripeFixture('invoice-paid-renewal-legacy-api');
    event.data.object.customer = null;
    const result = mapRawStripeEvent(event);
    expect(result).toMatchObject({ outcome: 'commands', commands: [{ body: { customerExternalId: 'ada@example.com' } }] });
  });

  it('KWD invoice -> hundredths, exact amount in metadata', () => {
    const event = stripeFixture('invoice-paid-renewal-legacy-api');
    Object.assign(event.data.object, {
      currency: 'kwd',
      amount_paid: 16050,
      total: 16050,
      total_excluding_tax: 15000,
    });
    expect(mapRawStripeEvent(event)).toMatchObject({
      outcome: 'commands',
      commands: [
        {
          body: {
            amount: 1500,
            currency: 'kwd',
            metadata: { originalAmount: '15.000', originalCurrency: 'kwd' },
          },
        },
      ],
    });
  });
});
