import { createHmac, randomUUID } from 'node:crypto';
import { toMinorUnits } from '../../cli/trigger/amount.js';
import type { TriggerAdapter } from '../../cli/adapter.js';
import type { TriggerInput, TriggerRequest } from '../../cli/trigger/types.js';
import sample from './trigger-sample.json' with { type: 'json' };

/**
 * Polar's Standard Webhooks signature: `v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<raw
 * body>">`, keyed with the UTF-8 bytes of the whole secret string (Polar base64-encodes its secret
 * before handing it to its Standard Webhooks signer, which decodes it again).
 */
export function signPolar(body: string, secret: string, webhookId: string, timestamp: number): string {
  return `v1,${createHmac('sha256', secret).update(`${webhookId}.${timestamp}.${body}`).digest('base64')}`;
}

/**
 * An `order.paid` of a one-time purchase, new ids every run. The customer goes where Polar keeps the
 * merchant's id (`customer.external_id`, from a checkout's `external_customer_id`), the click id in
 * the checkout metadata copied onto the order. The amount given is the sale (no tax on top).
 */
function orderPaid(input: TriggerInput, secret: string): TriggerRequest {
  const event: Record<string, any> = structuredClone(sample);
  const order = event.data;
  const at = new Date(input.now).toISOString();
  event.timestamp = at;
  order.id = randomUUID();
  order.checkout_id = randomUUID();
  order.items[0].id = randomUUID();
  order.invoice_number = `TRG-${input.id.slice(0, 6).toUpperCase()}`;
  order.created_at = order.modified_at = order.items[0].created_at = at;
  if (input.currency) order.currency = input.currency.toLowerCase();
  if (input.amount !== undefined) {
    const minor = toMinorUnits(input.amount, order.currency);
    Object.assign(order, { subtotal_amount: minor, net_amount: minor, total_amount: minor, refundable_amount: minor, tax_amount: 0, refundable_tax_amount: 0 });
    Object.assign(order.items[0], { amount: minor, tax_amount: 0 });
  }
  if (input.customer !== undefined) order.customer.external_id = input.customer;
  if (input.clickId) order.metadata = { ...order.metadata, dubClickId: input.clickId };
  const body = JSON.stringify(event);
  const webhookId = randomUUID();
  const timestamp = Math.floor(input.now / 1000);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'dub-bridge-trigger',
      'webhook-id': webhookId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signPolar(body, secret, webhookId, timestamp),
    },
    // The body has no id: the bridge keys Polar events by the webhook-id header.
    eventKeyContains: webhookId,
  };
}

export const polarTrigger: TriggerAdapter = {
  events: { 'order.paid': orderPaid },
};
