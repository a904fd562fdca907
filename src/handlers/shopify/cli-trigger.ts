import { createHmac, randomUUID } from 'node:crypto';
import { usageError } from '../../cli/errors.js';
import type { TriggerAdapter } from '../../cli/adapter.js';
import type { TriggerInput, TriggerRequest } from '../../cli/trigger/types.js';
import sample from './trigger-sample.json' with { type: 'json' };

/** Shopify's `X-Shopify-Hmac-Sha256`: base64 HMAC-SHA256 of the raw body with the app's client secret. */
export function signShopify(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

const SHOP = 'dub-bridge-trigger.myshopify.com';
const API_VERSION = '2025-07';

/** A money set in one currency, as Shopify sends `*_set` fields. */
const moneySet = (amount: string, currency: string) => ({
  shop_money: { amount, currency_code: currency },
  presentment_money: { amount, currency_code: currency },
});

/** A test `orders/paid` with a new order id every run; the amount given is the subtotal (no tax, no shipping). */
function ordersPaid(input: TriggerInput, secret: string): TriggerRequest {
  const order = structuredClone(sample) as Record<string, any>;
  // Ids under 2^53, so they survive JSON numbers; the gids carry the same digits.
  const orderId = input.now * 1000 + Number.parseInt(input.id.slice(0, 3), 16);
  order.id = orderId;
  order.admin_graphql_api_id = `gid://shopify/Order/${orderId}`;
  order.name = `#T${input.id.slice(0, 6)}`;
  order.created_at = order.processed_at = order.updated_at = new Date(input.now).toISOString();
  if (input.customer !== undefined) {
    if (!/^\d{1,15}$/.test(input.customer)) throw usageError('--customer: a Shopify customer id is a number, e.g. 7234567890123');
    order.customer.id = Number(input.customer);
    order.customer.admin_graphql_api_id = `gid://shopify/Customer/${input.customer}`;
  } else {
    order.customer.id = 7_234_567_890_123;
    order.customer.admin_graphql_api_id = 'gid://shopify/Customer/7234567890123';
  }
  if (input.amount !== undefined || input.currency) {
    const currency = (input.currency ?? order.currency).toUpperCase();
    const amount = input.amount ?? order.current_subtotal_price;
    order.currency = order.presentment_currency = currency;
    order.current_subtotal_price = order.subtotal_price = order.current_total_price = order.total_price = amount;
    order.current_subtotal_price_set = order.subtotal_price_set = order.current_total_price_set = order.total_price_set = moneySet(amount, currency);
    order.current_total_tax = order.total_tax = '0.00';
    order.current_total_tax_set = moneySet('0.00', currency);
    order.total_shipping_price_set = moneySet('0.00', currency);
    order.shipping_lines = [];
    order.current_total_discounts = order.total_discounts = '0.00';
    order.current_total_discounts_set = moneySet('0.00', currency);
    order.discount_codes = [];
    order.line_items = order.line_items.map((item: Record<string, any>) => ({
      ...item,
      quantity: 1,
      price: amount,
      price_set: moneySet(amount, currency),
      discount_allocations: [],
    }));
    order.total_line_items_price = amount;
  }
  // Dub's click id travels as a cart attribute (a note attribute on the order).
  if (input.clickId) order.note_attributes = [{ name: 'dubClickId', value: input.clickId }, ...order.note_attributes];
  const body = JSON.stringify(order);
  const eventId = randomUUID();
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': 'orders/paid',
      'x-shopify-shop-domain': input.account ?? SHOP,
      'x-shopify-hmac-sha256': signShopify(body, secret),
      'x-shopify-api-version': API_VERSION,
      'x-shopify-webhook-id': randomUUID(),
      'x-shopify-event-id': eventId,
      'x-shopify-triggered-at': new Date(input.now).toISOString(),
      'user-agent': 'dub-bridge-trigger',
    },
    eventKeyContains: eventId,
  };
}

export const shopifyTrigger: TriggerAdapter = {
  events: { 'orders/paid': ordersPaid },
  account: { flags: '--shop <domain>', description: `shopify: the shop the order comes from (default ${SHOP})` },
  note: 'shopify: --customer is the customer number',
};
