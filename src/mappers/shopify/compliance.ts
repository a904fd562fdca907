import * as z from 'zod';
import type { ComplianceAction } from '../types.js';
import { numericId, present, type ShopifyWebhookMeta, type TopicMapper } from './shared.js';

const compliancePayload = z.object({
  shop_domain: z.string().nullish(),
  // Compliance payloads carry plain numeric customer ids (no gid); ids are far below 2^53 today.
  customer: z.object({ id: numericId.nullish(), email: z.string().nullish() }).nullish(),
});
type CompliancePayload = z.infer<typeof compliancePayload>;

/** The body is signed and the header is not, so the body's shop domain wins. */
const shopOf = (payload: CompliancePayload, meta: ShopifyWebhookMeta) => present(payload.shop_domain) ?? meta.shop;

function customerCompliance(action: 'data_request' | 'redact_customer'): TopicMapper<CompliancePayload> {
  return {
    schema: compliancePayload,
    map(payload, meta) {
      const id = payload.customer?.id;
      const compliance: ComplianceAction = {
        action,
        shop: shopOf(payload, meta),
        customerId: id === null || id === undefined ? null : String(id),
        email: present(payload.customer?.email),
      };
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
  schema: compliancePayload,
  map: (payload, meta) => ({ outcome: 'compliance', compliance: { action: 'redact_shop', shop: shopOf(payload, meta) } }),
};
