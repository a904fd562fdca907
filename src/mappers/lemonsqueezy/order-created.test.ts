import { describe, expect, it } from 'vitest';
import { lemonSqueezyFixture, mapRawLemonSqueezyEvent } from '../../../test/fixtures/lemonsqueezy/index.js';

const link = { source: 'lemonsqueezy', providerCustomerId: '2934471', externalId: 'user_ls_77' };

describe('order_created', () => {
  it('a paid order -> Purchase sale of total − tax, ls_order_ invoice, click id, link stored', () => {
    expect(mapRawLemonSqueezyEvent(lemonSqueezyFixture('order-created'))).toStrictEqual({
      outcome: 'commands',
      commands: [
        {
          kind: 'sale',
          body: {
            customerExternalId: 'user_ls_77',
            amount: 999, // total 1199 − tax 200
            currency: 'usd',
            paymentProcessor: 'lemonsqueezy',
            eventName: 'Purchase',
            invoiceId: 'ls_order_4821357',
            clickId: 'lsClk3Vb8Nm2Qx5T',
            leadEventName: 'Sign up',
            customerName: 'Ada Lovelace',
            customerEmail: 'ada@example.test',
            metadata: {
              source: 'dub-bridge',
              lemonSqueezyOrderId: '4821357',
              lemonSqueezyOrderNumber: 1042,
              lemonSqueezyOrderIdentifier: '7f3c1d2e-9a4b-4e8c-b1d6-0a2f5e7c9b13',
              lemonSqueezyCustomerId: '2934471',
              lemonSqueezyProductId: '402118',
              lemonSqueezyVariantId: '618273',
              lemonSqueezyWebhookId: '5b0c2f6e-4d1a-4c7b-9a7e-2f3c8d9e1a40',
            },
          },
        },
      ],
      links: [link],
    });
  });

  it.each([
    ['1', 'Subscription creation'],
    ['true', 'Subscription creation'],
    ['0', 'Purchase'],
    [undefined, 'Purchase'],
  ])('checkout[custom][dubSubscription]=%s -> %s', (flag, eventName) => {
    const event = lemonSqueezyFixture('order-created');
    if (flag !== undefined) event.meta.custom_data.dubSubscription = flag;
    expect(mapRawLemonSqueezyEvent(event)).toMatchObject({ commands: [{ body: { eventName } }] });
  });

  it('without custom data -> ls_customer_<id>, no click id, nothing linked', () => {
    const event = lemonSqueezyFixture('order-created');
    event.meta.custom_data = null;
    const result = mapRawLemonSqueezyEvent(event);
    expect(result).toMatchObject({ links: [], commands: [{ body: { customerExternalId: 'ls_customer_2934471' } }] });
    expect(result.outcome === 'commands' && result.commands[0]?.kind === 'sale' && result.commands[0].body.clickId).toBeUndefined();
  });

  it('a repeat buyer without custom data reaches the id linked from an earlier order', () => {
    const event = lemonSqueezyFixture('order-created');
    delete event.meta.custom_data;
    expect(mapRawLemonSqueezyEvent(event, { testEvents: 'forward', linkedExternalId: 'user_ls_77' })).toMatchObject({
      commands: [{ body: { customerExternalId: 'user_ls_77' } }],
    });
  });

  it('JPY: whole yen are Dub units', () => {
    const event = lemonSqueezyFixture('order-created');
    Object.assign(event.data.attributes, { currency: 'JPY', subtotal: 1500, tax: 150, total: 1650 });
    expect(mapRawLemonSqueezyEvent(event)).toMatchObject({ commands: [{ body: { amount: 1500, currency: 'jpy' } }] });
  });

  it.each([
    ['pending', 'order is pending, not paid'],
    ['failed', 'order is failed, not paid'],
    ['refunded', 'order is refunded, not paid'],
  ])('status %s -> ignored, link still stored', (status, reason) => {
    const event = lemonSqueezyFixture('order-created');
    event.data.attributes.status = status;
    expect(mapRawLemonSqueezyEvent(event)).toStrictEqual({ outcome: 'ignored', reason, links: [link] });
  });

  it('a free order (total − tax = 0) -> ignored, link still stored', () => {
    const event = lemonSqueezyFixture('order-created');
    Object.assign(event.data.attributes, { subtotal: 999, discount_total: 999, tax: 0, total: 0 });
    expect(mapRawLemonSqueezyEvent(event)).toStrictEqual({
      outcome: 'ignored',
      reason: 'order earned nothing before tax (free or 100 % discount)',
      links: [link],
    });
  });
});
