import * as z from 'zod';
import type { ComplianceAction, CompliancePaths } from '../types.js';
import { numericId, present, type ShopifyWebhookMeta, type TopicMapper } from './shared.js';

const shopFields = { shop_id: numericId, shop_domain: z.string().min(1) };
// Compliance payloads carry plain numeric customer ids (no gid); ids are far below 2^53 today.
const customer = z.object({ id: numericId.nullish(), email: z.string().nullish() });
const orderIds = z.array(numericId);

/**
 * Each compliance topic's required fields (Shopify's documented payloads). A request missing them
 * is refused with 400 before anything is stored: a redaction must never half-apply.
 */
export const complianceSchemas = {
  'customers/data_request': z.object({ ...shopFields, customer, orders_requested: orderIds.default([]) }),
  'customers/redact': z.object({ ...shopFields, customer, orders_to_redact: orderIds.default([]) }),
  'shop/redact': z.object(shopFields),
} as const;

/** Where Shopify's stored webhooks keep a customer and its orders (see `CompliancePaths`). */
export const shopifyCompliancePaths: CompliancePaths = {
  source: 'shopify',
  customerIds: [
    { types: '%', path: '$.customer.id' },
    { types: 'customers/%', path: '$.id' },
  ],
  emails: ['$.email', '$.customer.email'],
  orders: { types: 'orders/%', idPath: '$.id' },
  refunds: { types: 'refunds/%', orderIdPath: '$.order_id' },
  guestKeyPrefix: 'shopify_order_',
};

type CompliancePayload = { shop_domain: string; customer?: z.infer<typeof customer>; orders_to_redact?: Array<string | number> };

/** The body is signed and the header is not: ingest refuses a body whose shop is not the header's. */
const shopOf = (payload: CompliancePayload, meta: ShopifyWebhookMeta) => present(payload.shop_domain) ?? meta.shop;

function customerCompliance(action: 'data_request' | 'redact_customer'): TopicMapper<CompliancePayload> {
  return {
    schema: action === 'data_request' ? complianceSchemas['customers/data_request'] : complianceSchemas['customers/redact'],
    map(payload, meta) {
      const id = payload.customer?.id;
      const customerId = id === null || id === undefined ? null : String(id);
      const email = present(payload.customer?.email);
      const compliance: ComplianceAction =
        action === 'data_request'
          ? { action, shop: shopOf(payload, meta), customerId, email, paths: shopifyCompliancePaths }
          : { action, shop: shopOf(payload, meta), customerId, email, orderIds: (payload.orders_to_redact ?? []).map(String), paths: shopifyCompliancePaths };
      return { outcome: 'compliance', compliance };
    },
  };
}

/** `customers/data_request`: recorded and answered; the bridge sends Dub nothing. */
export const customersDataRequest = customerCompliance('data_request');

/** `customers/redact`: the store scrubs what it holds for that customer. */
export const customersRedact = customerCompliance('redact_customer');

/** `shop/redact` (48 hours after uninstall): the store scrubs everything for that shop. */
export const shopRedact: TopicMapper<CompliancePayload> = {
  schema: complianceSchemas['shop/redact'],
  map: (payload, meta) => ({ outcome: 'compliance', compliance: { action: 'redact_shop', shop: shopOf(payload, meta), paths: shopifyCompliancePaths } }),
};
