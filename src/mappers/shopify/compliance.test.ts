import { describe, expect, it } from 'vitest';
import { loadFixture, mapPayload, SHOP } from '../../../test/fixtures/shopify/harness.js';
import { shopifyCompliancePaths } from './compliance.js';

const customer = { shop: SHOP, customerId: '6912345678901', email: 'lukas@example.de', paths: shopifyCompliancePaths };

describe('compliance topics -> compliance actions, no Dub call', () => {
  it.each([
    ['customers/data_request', 'customers-data-request', { action: 'data_request', ...customer }],
    ['customers/redact', 'customers-redact', { action: 'redact_customer', ...customer, orderIds: ['5412345678901'] }],
    ['shop/redact', 'shop-redact', { action: 'redact_shop', shop: SHOP, paths: shopifyCompliancePaths }],
  ])('%s', (topic, fixture, compliance) => {
    expect(mapPayload(topic, loadFixture(fixture))).toEqual({ outcome: 'compliance', compliance });
  });

  it('the signed body names the shop; a customer without id or email maps to nulls', () => {
    const payload = { shop_id: 1, shop_domain: 'other-shop.myshopify.com', customer: {}, orders_to_redact: [] };
    expect(mapPayload('customers/redact', payload)).toEqual({
      outcome: 'compliance',
      compliance: { action: 'redact_customer', shop: 'other-shop.myshopify.com', customerId: null, email: null, orderIds: [], paths: shopifyCompliancePaths },
    });
  });

  it.each([
    ['shop/redact', { shop_id: 1 }, 'shop_domain'],
    ['customers/redact', { shop_id: 1, shop_domain: SHOP }, 'customer'],
    ['customers/data_request', { shop_domain: SHOP, customer: {} }, 'shop_id'],
  ])('%s without its required fields does not map (ingest refuses it with 400): %j', (topic, payload, field) => {
    expect(() => mapPayload(topic, payload)).toThrow(field);
  });
});
