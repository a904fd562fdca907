import { createHash, createHmac, randomUUID } from 'node:crypto';
import { toMinorUnits } from '../../cli/trigger/amount.js';
import type { TriggerAdapter } from '../../cli/adapter.js';
import type { TriggerInput, TriggerRequest } from '../../cli/trigger/types.js';
import sample from './trigger-sample.json' with { type: 'json' };

/** Lemon Squeezy's `X-Signature`: hex HMAC-SHA256 of the raw body, keyed with the signing secret. */
export function signLemonSqueezy(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/**
 * A test-mode `order_created`, paid, new ids every run. The click id and the customer go in
 * `meta.custom_data`, where `checkout[custom][…]` puts them. The amount given is the sale (no tax).
 */
function orderCreated(input: TriggerInput, secret: string): TriggerRequest {
  const event: Record<string, any> = structuredClone(sample);
  const order = event.data.attributes;
  const orderId = String(Number.parseInt(input.id.slice(0, 8), 16));
  const at = new Date(input.now).toISOString().replace('Z', '000Z');
  event.meta.webhook_id = randomUUID();
  event.data.id = orderId;
  event.data.links.self = `https://api.lemonsqueezy.com/v1/orders/${orderId}`;
  order.identifier = randomUUID();
  order.order_number = Number.parseInt(input.id.slice(8, 13), 16);
  order.first_order_item.order_id = Number(orderId);
  order.urls.receipt = `https://app.lemonsqueezy.com/my-orders/${order.identifier}?signature=test`;
  order.created_at = order.updated_at = order.first_order_item.created_at = order.first_order_item.updated_at = at;
  if (input.currency) order.currency = input.currency.toUpperCase();
  if (input.amount !== undefined) {
    const minor = toMinorUnits(input.amount, order.currency.toLowerCase());
    // The *_formatted texts are for people; Lemon Squeezy would write `$49.00`, never read here.
    const text = `${input.amount} ${order.currency}`;
    Object.assign(order, {
      subtotal: minor,
      tax: 0,
      total: minor,
      tax_rate: '0.00',
      subtotal_formatted: text,
      tax_formatted: `0 ${order.currency}`,
      total_formatted: text,
    });
    order.first_order_item.price = minor;
    // Test data: Lemon Squeezy's *_usd fields would be converted; here they mirror the amounts.
    Object.assign(order, { subtotal_usd: minor, tax_usd: 0, total_usd: minor });
  }
  event.meta.custom_data = {
    ...(input.clickId ? { dubClickId: input.clickId } : {}),
    dubCustomerExternalId: input.customer ?? sample.meta.custom_data.dubCustomerExternalId,
  };
  const body = JSON.stringify(event);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-event-name': 'order_created',
      'x-signature': signLemonSqueezy(body, secret),
      'user-agent': 'dub-bridge-trigger',
    },
    // No event id: the bridge keys Lemon Squeezy events by the event name and the body's SHA-256.
    eventKeyContains: createHash('sha256').update(body).digest('hex'),
  };
}

export const lemonSqueezyTrigger: TriggerAdapter = {
  events: { order_created: orderCreated },
};
