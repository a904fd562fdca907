import * as z from 'zod';
import type { CustomerLink } from '../types.js';
import { metadataString, polarCurrency, polarMetadata } from './envelope.js';

/** The order fields `order.paid` and `order.refunded` read (amounts are integers in minor units). */
export const polarOrderSchema = z.object({
  id: z.string().min(1),
  status: z.string(),
  billing_reason: z.string(),
  net_amount: z.number().int(),
  // Customer balance used on this order; Polar's refundable base is net_amount + this.
  applied_balance_amount: z.number().int().nullish(),
  refunded_amount: z.number().int().nullish(),
  currency: polarCurrency,
  customer_id: z.string().min(1),
  customer: z.object({ external_id: z.string().nullish(), email: z.string().nullish(), name: z.string().nullish() }).nullish(),
  metadata: polarMetadata,
  product_id: z.string().nullish(),
  subscription_id: z.string().nullish(),
  checkout_id: z.string().nullish(),
});
export type PolarOrder = z.infer<typeof polarOrderSchema>;

/**
 * The merchant's id for the order's customer: `customer.external_id`, else checkout
 * `metadata.dubCustomerExternalId`, else the linked id, else Polar's customer id. A merchant id
 * learned here is linked to the Polar customer so later orders without it reach the same customer.
 */
export function resolvePolarCustomer(order: PolarOrder, linkedExternalId: string | undefined) {
  const merchantId = nonEmpty(order.customer?.external_id) ?? metadataString(order.metadata, 'dubCustomerExternalId');
  const links: CustomerLink[] = merchantId ? [{ source: 'polar', providerCustomerId: order.customer_id, externalId: merchantId }] : [];
  return { externalId: merchantId ?? linkedExternalId ?? order.customer_id, links };
}

/** A string with something in it, else null (Polar sends `null` and sometimes `""` for unset fields). */
export function nonEmpty(value: string | null | undefined): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}
