import { describe, expect, it } from 'vitest';
import { mapRawPaddleEvent, paddleFixture } from '../../../test/fixtures/paddle/index.js';

const TXN = 'txn_01h8dzxgkvdwemdhbpcapj2tbj';
const CTM = 'ctm_01h8e18bxp9hby49dnm8ewf0m0';
const link = { source: 'paddle', providerCustomerId: CTM, externalId: 'user_pdl_1042' };

describe('transaction.completed', () => {
  it('a web checkout -> one Purchase sale of total − tax, lowercase currency, click id, link stored', () => {
    expect(mapRawPaddleEvent(paddleFixture('transaction-completed'))).toStrictEqual({
      outcome: 'commands',
      commands: [
        {
          kind: 'sale',
          body: {
            customerExternalId: 'user_pdl_1042',
            amount: 59900, // total 65215 − tax 5315
            currency: 'usd',
            paymentProcessor: 'paddle',
            eventName: 'Purchase',
            invoiceId: TXN,
            clickId: 'pdlClk7Qx2Lm9Vb4',
            leadEventName: 'Sign up',
            metadata: {
              source: 'dub-bridge',
              paddleEventId: 'evt_01h8e1jxjnw9ra6zarhnz1a7y1',
              paddleTransactionId: TXN,
              paddleCustomerId: CTM,
              paddleInvoiceNumber: '325-10562',
              paddleOrigin: 'web',
              paddleOccurredAt: '2023-08-22T07:15:45.366122Z',
            },
          },
        },
      ],
      links: [link],
    });
  });

  it.each([
    ['web', 'sub_01h8bxswamxysj44zt5n48njwh', 'Subscription creation'],
    ['api', 'sub_01h8bxswamxysj44zt5n48njwh', 'Subscription creation'],
    ['api', null, 'Purchase'],
    ['subscription_recurring', 'sub_01h8bxswamxysj44zt5n48njwh', 'Subscription renewal'],
    ['subscription_update', 'sub_01h8bxswamxysj44zt5n48njwh', 'Purchase'],
    ['subscription_charge', 'sub_01h8bxswamxysj44zt5n48njwh', 'Purchase'],
  ])('origin %s with subscription %s -> eventName %s', (origin, subscription, eventName) => {
    const event = paddleFixture('transaction-completed');
    event.data.origin = origin;
    event.data.subscription_id = subscription;
    expect(mapRawPaddleEvent(event)).toMatchObject({ outcome: 'commands', commands: [{ body: { eventName } }] });
  });

  it('a renewal without custom_data reaches the linked merchant id and sends no click id', () => {
    const event = paddleFixture('transaction-completed');
    event.data.origin = 'subscription_recurring';
    event.data.custom_data = null;
    const result = mapRawPaddleEvent(event, { testEvents: 'forward', linkedExternalId: 'user_pdl_1042' });
    expect(result).toMatchObject({
      outcome: 'commands',
      links: [],
      commands: [{ body: { customerExternalId: 'user_pdl_1042', eventName: 'Subscription renewal' } }],
    });
    expect(result.outcome === 'commands' && result.commands[0]?.kind === 'sale' && result.commands[0].body.clickId).toBeUndefined();
  });

  it('custom_data wins over the stored link; without either the ctm_ id is the customer', () => {
    const linked = mapRawPaddleEvent(paddleFixture('transaction-completed'), { testEvents: 'forward', linkedExternalId: 'user_old' });
    expect(linked).toMatchObject({ commands: [{ body: { customerExternalId: 'user_pdl_1042' } }] });
    const bare = paddleFixture('transaction-completed');
    bare.data.custom_data = { unrelated: true };
    expect(mapRawPaddleEvent(bare)).toMatchObject({ commands: [{ body: { customerExternalId: CTM } }], links: [] });
  });

  it('a numeric dubCustomerExternalId is read as its decimal text', () => {
    const event = paddleFixture('transaction-completed');
    event.data.custom_data = { dubCustomerExternalId: 1042 };
    expect(mapRawPaddleEvent(event)).toMatchObject({ commands: [{ body: { customerExternalId: '1042' } }] });
  });

  it('JPY: Paddle sends whole yen, which already are Dub units', () => {
    const event = paddleFixture('transaction-completed');
    event.data.currency_code = 'JPY';
    event.data.details.totals = { ...event.data.details.totals, currency_code: 'JPY', subtotal: '4500', discount: '0', tax: '450', total: '4950' };
    expect(mapRawPaddleEvent(event)).toMatchObject({ commands: [{ body: { amount: 4500, currency: 'jpy' } }] });
  });

  it('a three-decimal currency (none in Paddle today) is rounded half up to hundredths, original kept', () => {
    const event = paddleFixture('transaction-completed');
    event.data.currency_code = 'KWD';
    event.data.details.totals = { ...event.data.details.totals, tax: '0', total: '12345' };
    expect(mapRawPaddleEvent(event)).toMatchObject({ commands: [{ body: { amount: 1235, currency: 'kwd', metadata: { originalAmount: '12345' } } }] });
  });

  it('a discount is already taken off total: amount = subtotal − discount', () => {
    const event = paddleFixture('transaction-completed');
    event.data.details.totals = { ...event.data.details.totals, subtotal: '59900', discount: '5990', tax: '4783', total: '58693' };
    expect(mapRawPaddleEvent(event)).toMatchObject({ commands: [{ body: { amount: 53910 } }] });
  });

  it.each([
    ['a payment-method change (all zero)', { subtotal: '0', discount: '0', tax: '0', total: '0' }],
    ['a 100 % discount', { subtotal: '59900', discount: '59900', tax: '0', total: '0' }],
  ])('%s -> ignored, link still stored', (_case, totals) => {
    const event = paddleFixture('transaction-completed');
    event.data.origin = 'subscription_payment_method_change';
    event.data.details.totals = { ...event.data.details.totals, ...totals };
    expect(mapRawPaddleEvent(event)).toStrictEqual({
      outcome: 'ignored',
      reason: 'transaction earned nothing before tax (origin subscription_payment_method_change)',
      links: [link],
    });
  });

  it('no customer at all -> ignored', () => {
    const event = paddleFixture('transaction-completed');
    event.data.customer_id = null;
    event.data.custom_data = null;
    expect(mapRawPaddleEvent(event)).toMatchObject({ outcome: 'ignored', reason: expect.stringMatching(/names no customer/) });
  });
});
