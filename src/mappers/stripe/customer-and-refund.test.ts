import { describe, expect, it } from 'vitest';
import { mapRawStripeEvent, stripeFixture } from '../../../test/fixtures/stripe/index.js';

const KATHERINE = 'cus_RzA9bC0dE1fG2h';
const katherineLink = { source: 'stripe', providerCustomerId: KATHERINE, externalId: 'user_1918' };

describe('customer.created / customer.updated', () => {
  it.each(['customer.updated', 'customer.created'])('%s with dubClickId -> link, customer, lead if unknown', (type) => {
    const event = stripeFixture('customer-updated');
    event.type = type;
    expect(mapRawStripeEvent(event)).toStrictEqual({
      outcome: 'commands',
      commands: [
        {
          kind: 'customer',
          externalId: 'user_1918',
          body: { name: 'Katherine Johnson', email: 'katherine@example.com', stripeCustomerId: KATHERINE },
          leadIfUnknown: {
            clickId: 'Lm4Nb5Vc6Xz7As8D',
            eventName: 'New customer',
            customerExternalId: 'user_1918',
            customerName: 'Katherine Johnson',
            customerEmail: 'katherine@example.com',
            metadata: { source: 'dub-bridge', stripeEventId: 'evt_1R4Cust2eZvKYlo2CwX9yZ0aB', stripeCustomerId: KATHERINE },
          },
        },
      ],
      links: [katherineLink],
    });
  });

  it('without dubClickId -> customer command only; absent name is left out of the PATCH', () => {
    const event = stripeFixture('customer-updated');
    event.data.object.metadata = { dubCustomerExternalId: 'user_1918' };
    event.data.object.name = null;
    expect(mapRawStripeEvent(event)).toStrictEqual({
      outcome: 'commands',
      commands: [
        {
          kind: 'customer',
          externalId: 'user_1918',
          body: { email: 'katherine@example.com', stripeCustomerId: KATHERINE },
        },
      ],
      links: [katherineLink],
    });
  });

  it('without dubCustomerExternalId -> ignored', () => {
    const event = stripeFixture('customer-updated');
    event.data.object.metadata = { dubClickId: 'Lm4Nb5Vc6Xz7As8D' };
    expect(mapRawStripeEvent(event)).toStrictEqual({
      outcome: 'ignored',
      reason: 'Stripe customer has no metadata.dubCustomerExternalId',
      links: [],
    });
  });
});

describe('charge.refunded', () => {
  const CHARGE = 'ch_3QyPkQ2eZvKYlo2C1h2i3j4k';
  const PAYMENT_INTENT = 'pi_3QyPkQ2eZvKYlo2C1aBcDeFg';
  const metadata = {
    source: 'dub-bridge',
    stripeEventId: 'evt_3R5Rfnd2eZvKYlo2C1cD2eF3',
    stripeChargeId: CHARGE,
    stripePaymentIntentId: PAYMENT_INTENT,
    stripeCustomerId: 'cus_RqB3cD4eF5gH6i',
  };

  it('partial refund -> cumulative refundedTotal, not fully refunded', () => {
    expect(mapRawStripeEvent(stripeFixture('charge-refunded'))).toStrictEqual({
      outcome: 'commands',
      commands: [
        {
          kind: 'refund',
          body: {
            refs: { paymentIntent: PAYMENT_INTENT, chargeId: CHARGE },
            refundedTotal: 5400,
            paymentAmount: 10800,
            fullyRefunded: false,
            currency: 'usd',
            refundId: CHARGE,
            metadata,
          },
        },
      ],
      links: [],
    });
  });

  it('full refund -> fullyRefunded', () => {
    const event = stripeFixture('charge-refunded');
    Object.assign(event.data.object, { amount_refunded: 10800, refunded: true });
    expect(mapRawStripeEvent(event)).toMatchObject({
      commands: [{ kind: 'refund', body: { refundedTotal: 10800, fullyRefunded: true } }],
    });
  });

  it('legacy API charge with an invoice -> stripeInvoice ref', () => {
    const event = stripeFixture('charge-refunded');
    event.data.object.invoice = 'in_1R8Ren2eZvKYlo2CgH7iJ8kL';
    expect(mapRawStripeEvent(event)).toMatchObject({
      commands: [
        {
          body: {
            refs: { paymentIntent: PAYMENT_INTENT, stripeInvoice: 'in_1R8Ren2eZvKYlo2CgH7iJ8kL', chargeId: CHARGE },
            metadata: { stripeInvoiceId: 'in_1R8Ren2eZvKYlo2CgH7iJ8kL' },
          },
        },
      ],
    });
  });

  it('KWD refund -> hundredths', () => {
    const event = stripeFixture('charge-refunded');
    Object.assign(event.data.object, { currency: 'kwd', amount: 12340, amount_refunded: 12340, refunded: true });
    expect(mapRawStripeEvent(event)).toMatchObject({
      commands: [{ body: { refundedTotal: 1234, currency: 'kwd', metadata: { originalAmount: '12.340' } } }],
    });
  });
});
