import { describe, expect, it } from 'vitest';
import { loadFixture, mapPayload, webhookMeta } from '../../../test/fixtures/shopify/harness.js';
import { complianceTopics, handledShopifyTopics, mapShopifyWebhook, parseShopifyWebhook } from './index.js';

describe('topic dispatch', () => {
  it('lists subscribed and compliance topics apart', () => {
    expect(handledShopifyTopics).toEqual(['orders/paid', 'customers/create', 'customers/update', 'refunds/create']);
    expect(complianceTopics).toEqual(['customers/data_request', 'customers/redact', 'shop/redact']);
  });

  it.each(['orders/create', 'orders/updated', 'app/uninstalled', 'constructor'])('%s is ignored', (topic) => {
    expect(mapPayload(topic, loadFixture('orders-paid'))).toEqual({
      outcome: 'ignored',
      reason: `unhandled topic ${topic}`,
      links: [],
    });
  });

  it('unknown topics pass parsing unvalidated', () => {
    const payload = { anything: true };
    expect(parseShopifyWebhook(webhookMeta('orders/create'), payload)).toEqual({
      ok: true,
      value: { meta: webhookMeta('orders/create'), payload },
    });
  });

  it('an absurd refund sum beyond 2^53 Dub units is ignored, not thrown', () => {
    const refund = loadFixture('refunds-create-jpy');
    refund.refund_line_items = Array.from({ length: 1000 }, () => ({
      subtotal_set: { shop_money: { amount: '9999999999999', currency_code: 'JPY' } },
    }));
    const parsed = parseShopifyWebhook(webhookMeta('refunds/create'), refund);
    if (!parsed.ok) throw new Error(parsed.issues);
    expect(mapShopifyWebhook(parsed.value, { testEvents: 'forward' })).toMatchObject({ outcome: 'ignored' });
  });
});

describe('parseShopifyWebhook failures name the field', () => {
  const order = () => loadFixture('orders-paid');

  it.each<[string, string, unknown, string]>([
    ['array body', 'orders/paid', [], 'orders/paid payload must be a JSON object'],
    ['null body', 'shop/redact', null, 'shop/redact payload must be a JSON object'],
    ['string body on an unknown topic', 'orders/create', 'x', 'orders/create payload must be a JSON object'],
    [
      'amount not a decimal string',
      'orders/paid',
      (() => {
        const o = order();
        o.current_subtotal_price_set.shop_money.amount = 199.99;
        return o;
      })(),
      'current_subtotal_price_set.shop_money.amount',
    ],
    [
      'no subtotal at all',
      'orders/paid',
      (() => {
        const o = order();
        delete o.current_subtotal_price_set;
        delete o.subtotal_price_set;
        return o;
      })(),
      'current_subtotal_price_set: current_subtotal_price_set or subtotal_price_set is required',
    ],
    ['missing order id', 'orders/paid', { ...order(), id: undefined }, 'invalid orders/paid payload: id: required'],
    ['refund without order_id', 'refunds/create', { id: 1, refund_line_items: [] }, 'order_id: required'],
    [
      'refund line with a bad currency code',
      'refunds/create',
      {
        id: 1,
        order_id: 2,
        refund_line_items: [{ subtotal_set: { shop_money: { amount: '1.00', currency_code: 'US' } } }],
      },
      'refund_line_items.0.subtotal_set.shop_money.currency_code: expected an ISO 4217 currency code',
    ],
    ['customer id not a number', 'customers/create', { id: 'abc' }, 'id: expected a numeric id'],
  ])('%s', (_name, topic, payload, issue) => {
    const result = parseShopifyWebhook(webhookMeta(topic), payload);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues).toContain(issue);
  });
});
