import { describe, expect, it } from 'vitest';
import type { SaleBody } from '../../dub/commands.js';
import type { MapContext } from '../types.js';
import { loadFixture, mapPayload, SHOP } from '../../../test/fixtures/shopify/harness.js';

const skip: MapContext = { testEvents: 'skip' };
const ids = { source: 'dub-bridge', shopDomain: SHOP, shopifyEventId: 'evt-1', shopifyWebhookId: 'wh-1' };

/** The expected result: one sale and its ledger refs. */
const sale = (orderId: string, body: Omit<SaleBody, 'paymentProcessor' | 'eventName' | 'invoiceId'>) => ({
  outcome: 'commands',
  links: [],
  commands: [
    {
      kind: 'sale',
      body: { paymentProcessor: 'shopify', eventName: 'Purchase', invoiceId: `gid://shopify/Order/${orderId}`, ...body },
      refs: { shopifyOrderId: orderId },
    },
  ],
});

describe('orders/paid -> sale', () => {
  it('USD "199.99" -> 19999: current subtotal after discounts, without shipping and tax; dubClickId; 19-digit ids from gids', () => {
    const order = loadFixture('orders-paid');
    // JSON.parse already rounded the 19-digit ids; only the gids still hold them exactly.
    expect(String(order.id)).not.toBe('5934567890123456789');
    expect(String(order.customer.id)).not.toBe('7234567890123456789');

    expect(mapPayload('orders/paid', order)).toEqual(
      sale('5934567890123456789', {
        customerExternalId: '7234567890123456789',
        amount: 19999,
        currency: 'usd',
        metadata: {
          ...ids,
          shopifyOrderId: '5934567890123456789',
          orderName: '#1001',
          presentmentAmount: '199.99',
          presentmentCurrency: 'USD',
        },
        clickId: 'cK9x2LmP4qRsT7uV',
        leadEventName: 'Sign up',
        customerName: 'Jane Doe',
        customerEmail: 'jane.doe@example.com',
      }),
    );
  });

  it('JPY "1000" -> 1000; guest order: email is the customer; click id from note attribute dub_id', () => {
    expect(mapPayload('orders/paid', loadFixture('orders-paid-jpy'))).toEqual(
      sale('5512345678901', {
        customerExternalId: 'guest@example.jp',
        amount: 1000,
        currency: 'jpy',
        metadata: {
          ...ids,
          shopifyOrderId: '5512345678901',
          orderName: '#1003',
          presentmentAmount: '1000',
          presentmentCurrency: 'JPY',
        },
        clickId: 'jpCl1ck42',
        leadEventName: 'Sign up',
        customerName: null,
        customerEmail: 'guest@example.jp',
      }),
    );
  });

  it.each([
    ['12.345', 1235],
    ['12.340', 1234],
  ])('KWD "%s" -> %i, exact amount in metadata', (amount, units) => {
    const order = loadFixture('orders-paid-kwd');
    order.current_subtotal_price_set.shop_money.amount = amount;
    order.current_subtotal_price_set.presentment_money.amount = amount;
    expect(mapPayload('orders/paid', order)).toEqual(
      sale('5612345678901', {
        customerExternalId: '6812345678901',
        amount: units,
        currency: 'kwd',
        metadata: {
          ...ids,
          shopifyOrderId: '5612345678901',
          orderName: '#1004',
          presentmentAmount: amount,
          presentmentCurrency: 'KWD',
          originalAmount: amount,
        },
      }),
    );
  });

  it('EUR presentment in a USD shop: amount in shop money, presentment in metadata; click id from landing_site', () => {
    expect(mapPayload('orders/paid', loadFixture('orders-paid-multicurrency'))).toEqual(
      sale('5412345678901', {
        customerExternalId: '6912345678901',
        amount: 10870,
        currency: 'usd',
        metadata: {
          ...ids,
          shopifyOrderId: '5412345678901',
          orderName: '#1002',
          presentmentAmount: '100.00',
          presentmentCurrency: 'EUR',
        },
        clickId: 'LnD1ngCl1ck',
        leadEventName: 'Sign up',
        customerName: 'Lukas',
        customerEmail: 'lukas@example.de',
      }),
    );
  });
});

describe('orders/paid field rules', () => {
  /** The sale body of the JPY guest fixture after `edit`. */
  const saleBody = (edit: (order: any) => void): SaleBody => {
    const order = loadFixture('orders-paid-jpy');
    edit(order);
    const result = mapPayload('orders/paid', order);
    if (result.outcome !== 'commands' || result.commands[0]?.kind !== 'sale') throw new Error('expected a sale');
    return result.commands[0].body;
  };

  it.each<[string, (order: any) => void, Partial<SaleBody>]>([
    [
      'no customer and no email -> shopify_order_<id>',
      (o) => {
        o.email = null;
        o.contact_email = null;
      },
      { customerExternalId: 'shopify_order_5512345678901', customerEmail: null },
    ],
    [
      'guest email from contact_email when email is empty',
      (o) => {
        o.email = '';
        o.contact_email = 'contact@example.jp';
      },
      { customerExternalId: 'contact@example.jp', customerEmail: 'contact@example.jp' },
    ],
    [
      'customer without gid -> String(id)',
      (o) => {
        o.customer = { id: 6712345678901, first_name: 'Aiko', last_name: 'Sato', email: 'aiko@example.jp' };
      },
      { customerExternalId: '6712345678901', customerName: 'Aiko Sato', customerEmail: 'guest@example.jp' },
    ],
    [
      'dubClickId wins over dub_id and landing_site',
      (o) => {
        o.note_attributes = [
          { name: 'dub_id', value: 'second' },
          { name: 'dubClickId', value: 'first' },
        ];
        o.landing_site = '/?dub_id=third';
      },
      { clickId: 'first' },
    ],
    [
      'empty note attribute falls through to landing_site',
      (o) => {
        o.note_attributes = [{ name: 'dub_id', value: ' ' }];
        o.landing_site = '/p/matcha?utm_source=x&dub_id=fromLanding#reviews';
      },
      { clickId: 'fromLanding' },
    ],
  ])('%s', (_name, edit, expected) => {
    expect(saleBody(edit)).toMatchObject(expected);
  });

  it('no click id anywhere -> no attribution fields', () => {
    const body = saleBody((o) => {
      o.note_attributes = null;
      o.landing_site = null;
    });
    expect(Object.keys(body).sort()).toEqual(['amount', 'currency', 'customerExternalId', 'eventName', 'invoiceId', 'metadata', 'paymentProcessor'].sort());
  });

  it('order without gid -> String(id) for invoiceId and refs', () => {
    const order = loadFixture('orders-paid-jpy');
    delete order.admin_graphql_api_id;
    const result = mapPayload('orders/paid', order);
    expect(result).toMatchObject({
      commands: [{ body: { invoiceId: 'gid://shopify/Order/5512345678901' }, refs: { shopifyOrderId: '5512345678901' } }],
    });
  });

  it('falls back to subtotal_price_set when current_subtotal_price_set is absent', () => {
    const body = saleBody((o) => {
      delete o.current_subtotal_price_set;
      o.subtotal_price_set = {
        shop_money: { amount: '900', currency_code: 'JPY' },
        presentment_money: { amount: '6.10', currency_code: 'USD' },
      };
    });
    expect(body).toMatchObject({ amount: 900, currency: 'jpy', metadata: { presentmentAmount: '6.10', presentmentCurrency: 'USD' } });
  });
});

describe('orders/paid ignored', () => {
  it('test order skipped when TEST_EVENTS=skip', () => {
    const order = { ...loadFixture('orders-paid'), test: true };
    expect(mapPayload('orders/paid', order, skip)).toEqual({
      outcome: 'ignored',
      reason: 'test event skipped (TEST_EVENTS=skip)',
      links: [],
    });
  });

  it('test order forwarded by default', () => {
    const order = { ...loadFixture('orders-paid'), test: true };
    expect(mapPayload('orders/paid', order)).toEqual(mapPayload('orders/paid', loadFixture('orders-paid')));
  });

  it('test order forwarded with metadata.testEvent when TEST_EVENTS=tag', () => {
    const order = { ...loadFixture('orders-paid'), test: true };
    const forwarded = mapPayload('orders/paid', order);
    const tagged = mapPayload('orders/paid', order, { testEvents: 'tag' });
    if (forwarded.outcome !== 'commands') throw new Error('expected commands');
    const [sale] = forwarded.commands as [{ kind: 'sale'; body: SaleBody }];
    expect(tagged).toEqual({
      ...forwarded,
      commands: [{ ...sale, body: { ...sale.body, metadata: { ...sale.body.metadata, testEvent: true } } }],
    });
  });

  it('live order not tagged under TEST_EVENTS=tag', () => {
    expect(mapPayload('orders/paid', loadFixture('orders-paid'), { testEvents: 'tag' })).toEqual(mapPayload('orders/paid', loadFixture('orders-paid')));
  });

  it('live order not skipped under TEST_EVENTS=skip', () => {
    expect(mapPayload('orders/paid', loadFixture('orders-paid'), skip).outcome).toBe('commands');
  });

  it('free order (subtotal 0) is ignored', () => {
    const order = loadFixture('orders-paid');
    order.current_subtotal_price_set.shop_money.amount = '0.00';
    expect(mapPayload('orders/paid', order)).toEqual({
      outcome: 'ignored',
      reason: 'free order: subtotal is 0 USD',
      links: [],
    });
  });
});
