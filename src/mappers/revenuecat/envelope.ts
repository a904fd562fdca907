import * as z from 'zod';
import type { MapContext, MapResult } from '../types.js';

/** The fields of `event` every type has (`app_id` is absent for PROMOTIONAL). */
const eventHead = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  app_id: z.string().nullish(),
  environment: z.string().nullish(),
  store: z.string().nullish(),
});

/** A RevenueCat webhook body: `{api_version, event}`; `event` is checked per type beyond its head. */
export const revenuecatEnvelope = z.object({
  api_version: z.string().nullish(),
  event: eventHead.passthrough(),
});

/** A parsed RevenueCat webhook body. */
export interface RevenueCatEvent {
  api_version?: string | null | undefined;
  event: z.infer<typeof eventHead> & Record<string, any>; // validated per type by parseRevenueCatEvent
}

/** Subscriber attributes: `{ name: { value, updated_at_ms } }`. */
const attributes = z.record(z.string(), z.unknown()).nullish();

/** The transaction fields the purchase and cancellation mappers read. */
export const transactionSchema = eventHead.extend({
  app_user_id: z.string().min(1),
  original_app_user_id: z.string().nullish(),
  transaction_id: z.string().min(1),
  original_transaction_id: z.string().nullish(),
  product_id: z.string().nullish(),
  period_type: z.string().nullish(),
  // Floats in major units; null when RevenueCat does not know the price, negative for refunds.
  price: z.number().nullish(),
  price_in_purchased_currency: z.number().nullish(),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'expected a three-letter currency code')
    .nullish(),
  tax_percentage: z.number().nullish(),
  is_trial_conversion: z.boolean().nullish(),
  cancel_reason: z.string().nullish(),
  subscriber_attributes: attributes,
});
/** A purchase or cancellation event, as its mapper reads it. */
export type RevenueCatTransaction = z.infer<typeof transactionSchema>;

/** One handled event type: the schema of the `event` fields its mapper reads, and the mapping. */
export interface RevenueCatMapper {
  schema: z.ZodType<RevenueCatTransaction>;
  map(event: RevenueCatTransaction, ctx: MapContext): MapResult;
}

/** A short message naming each bad field by its path in the body, e.g. `event.transaction_id`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${[...prefix, ...issue.path].map(String).join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
}
