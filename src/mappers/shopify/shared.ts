import * as z from 'zod';
import type { MapContext, MapResult } from '../types.js';

/** What the handler read from the verified request's headers. */
export interface ShopifyWebhookMeta {
  topic: string;
  shop: string;
  eventId: string | null;
  webhookId: string | null;
  apiVersion: string | null;
}

/** One handled topic: the schema of the fields its mapper reads, and the mapper itself. */
export interface TopicMapper<T> {
  schema: z.ZodType<T>;
  map(payload: T, meta: ShopifyWebhookMeta, ctx: MapContext): MapResult;
}

/**
 * A numeric Shopify id as JSON.parse left it. Not `.int()`: zod rejects integers beyond 2^53,
 * and Shopify ids may be that large (the exact value then comes from `admin_graphql_api_id`).
 * Strings are accepted too, for a parser that keeps big numbers as text.
 */
export const numericId = z.union(
  [z.number().refine((n) => Number.isInteger(n) && n > 0, 'expected a positive integer id'), z.string().regex(/^\d+$/, 'expected a numeric id')],
  { error: (issue) => (issue.input === undefined ? 'required' : 'expected a numeric id') },
);

/** Shopify sends money as decimal strings; the digit limit keeps Dub units below 2^53. */
const decimalAmount = z.string().regex(/^\d{1,13}(\.\d+)?$/, 'expected a decimal amount like "199.99"');

const money = z.object({
  amount: decimalAmount,
  currency_code: z.string().regex(/^[A-Za-z]{3}$/, 'expected an ISO 4217 currency code'),
});

/** A `*_set` price: the same amount in the shop's currency and in the buyer's. */
export const moneySet = z.object({
  shop_money: money,
  presentment_money: money.nullish(),
});

/** `gid://shopify/Order/5934567890123456789` -> `'5934567890123456789'`; null when not a gid. */
export function idFromGid(gid: string | null | undefined): string | null {
  const match = /^gid:\/\/shopify\/\w+\/(\d+)(?:[?/#]|$)/.exec(gid ?? '');
  return match?.[1] ?? null;
}

/**
 * The exact id of a Shopify resource: from its gid when there is one, because `id` may have lost
 * precision in JSON.parse; else `String(id)`, exact for ids below 2^53.
 */
export function resourceId(resource: { id?: number | string | null | undefined; admin_graphql_api_id?: string | null | undefined }): string | null {
  const fromGid = idFromGid(resource.admin_graphql_api_id);
  if (fromGid) return fromGid;
  if (resource.id === null || resource.id === undefined) return null;
  return String(resource.id);
}

/** The invoiceId of a Shopify sale: the order GID, so the sale and its refunds agree on it. */
export const orderGid = (orderId: string): string => `gid://shopify/Order/${orderId}`;

/** A trimmed non-empty string, or null. */
export function present(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** "First Last" from whichever parts exist; null when neither does. */
export function fullName(first: string | null | undefined, last: string | null | undefined): string | null {
  return present([first, last].map((part) => part?.trim() ?? '').join(' '));
}

/** Provider ids every Shopify command's metadata carries. */
export function deliveryIds(meta: ShopifyWebhookMeta): Record<string, string | null> {
  return { shopDomain: meta.shop, shopifyEventId: meta.eventId, shopifyWebhookId: meta.webhookId };
}

/**
 * The Dub click id of an order: a cart/checkout attribute (`note_attributes`) named `dubClickId`,
 * else `dub_id`, else a `dub_id` query parameter in the landing page path.
 */
export function orderClickId(order: {
  note_attributes?: readonly { name: string; value?: unknown }[] | null | undefined;
  landing_site?: string | null | undefined;
}): string | null {
  const attribute = (name: string) => {
    const value = order.note_attributes?.find((entry) => entry.name === name)?.value;
    return typeof value === 'string' ? present(value) : null;
  };
  return attribute('dubClickId') ?? attribute('dub_id') ?? landingSiteClickId(order.landing_site);
}

/** `landing_site` is usually a relative path (`/products/x?dub_id=abc`), so no URL base is needed. */
function landingSiteClickId(landingSite: string | null | undefined): string | null {
  const path = landingSite?.split('#')[0] ?? '';
  const queryStart = path.indexOf('?');
  if (queryStart < 0) return null;
  return present(new URLSearchParams(path.slice(queryStart + 1)).get('dub_id'));
}

/**
 * Who Dub should credit: the Shopify customer id; for a guest checkout its email; with neither,
 * an id derived from the order so the sale still has a stable customer.
 */
export function customerExternalId(customerId: string | null, email: string | null, orderId: string): string {
  return customerId ?? email ?? `shopify_order_${orderId}`;
}
