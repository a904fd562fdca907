import { describe, expect, it } from 'vitest';
import { loadFixture, mapPayload, SHOP } from '../../../test/fixtures/shopify/harness.js';

const customer = { shop: SHOP, customerId: '6912345678901', email: 'lukas@example.de' };

describe('compliance topics -> compliance actions, no Dub call', () => {
  it.each([
    ['customers/data_request', 'customers-data-request', { action: 'data_request', ...customer }],
    ['customers/redact', 'customers-redact', { action: 'redact_customer', ...customer }],
    ['shop/redact', 'shop-redact', { action: 'redact_shop', shop: SHOP }],
  ])('%s', (topic, fixture, compliance) => {
    expect(mapPayload(topic, loadFixture(fixture))).toEqual({ outcome: 'compliance', compliance });
  });

  it('signed body shop_domain wins over the header; missing customer -> nulls', () => {
    const payload = { shop_id: 1, shop_domain: 'other-shop.myshopify.com', orders_to_redact: [] };
    expect(mapPayload('customers/redact', payload)).toEqual({
      outcome: 'compliance',
      compliance: { action: 'redact_customer', shop: 'other-shop.myshopify.com', customerId: null, email: null },
    });
  });

  it('no shop_domain in the body -> the header shop', () => {
    expect(mapPayload('shop/redact', { shop_id: 1 })).toEqual({
      outcome: 'compliance',
      compliance: { action: 'redact_shop', shop: SHOP },
    });
  });
});
