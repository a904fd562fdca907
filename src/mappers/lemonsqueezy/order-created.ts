import * as z from 'zod';
import type { DubCommand } from '../../dub/commands.js';
import { bridgeMetadata, commands, ignored, type CustomerLink } from '../types.js';
import { lsToDubUnits } from './amount.js';
import { customValue, lsCustomerExternalId } from './custom-data.js';
import { lsAmount, lsCurrency, lsId, lsMapper } from './envelope.js';

const orderSchema = z.object({
  customer_id: lsId,
  order_number: z.number().int().nullish(),
  identifier: z.string().nullish(),
  user_name: z.string().nullish(),
  user_email: z.string().nullish(),
  status: z.string().min(1),
  currency: lsCurrency,
  tax: lsAmount,
  total: lsAmount,
  first_order_item: z.object({ product_id: lsId.nullish(), variant_id: lsId.nullish() }).nullish(),
});

/**
 * The order payload says nothing about subscriptions (its `first_order_item` holds product, variant
 * and price ids only), so the merchant marks a subscription checkout with
 * `checkout[custom][dubSubscription]=1`; without it the order is a `Purchase`.
 */
function isSubscriptionCheckout(customData: Record<string, unknown> | null | undefined): boolean {
  const flag = customValue(customData, 'dubSubscription')?.toLowerCase();
  return flag === '1' || flag === 'true';
}

/**
 * `order_created`, paid: the sale (`total − tax`, after discounts), invoiceId `ls_order_<id>`. The
 * first payment of a subscription is such an order too (its `initial` invoice is ignored).
 */
export const orderCreated = lsMapper(orderSchema, (event, order, ctx) => {
  const customData = event.meta.custom_data;
  const merchantId = customValue(customData, 'dubCustomerExternalId');
  const links: CustomerLink[] = merchantId ? [{ source: 'lemonsqueezy', providerCustomerId: order.customer_id, externalId: merchantId }] : [];
  if (order.status !== 'paid') return ignored(`order is ${order.status}, not paid`, links);
  const net = order.total - order.tax;
  if (net <= 0) return ignored('order earned nothing before tax (free or 100 % discount)', links);

  const money = lsToDubUnits(net, order.currency);
  const clickId = customValue(customData, 'dubClickId');
  const invoiceId = `ls_order_${event.data.id}`;
  const sale: DubCommand = {
    kind: 'sale',
    body: {
      // A repeat buyer without custom data still reaches the id the merchant gave the first time.
      customerExternalId: merchantId ?? (ctx.linkedExternalId || lsCustomerExternalId(order.customer_id)),
      amount: money.amount,
      currency: money.currency,
      paymentProcessor: 'lemonsqueezy',
      eventName: isSubscriptionCheckout(customData) ? 'Subscription creation' : 'Purchase',
      invoiceId,
      metadata: bridgeMetadata({
        lemonSqueezyOrderId: event.data.id,
        lemonSqueezyOrderNumber: order.order_number,
        lemonSqueezyOrderIdentifier: order.identifier,
        lemonSqueezyCustomerId: order.customer_id,
        lemonSqueezyProductId: order.first_order_item?.product_id,
        lemonSqueezyVariantId: order.first_order_item?.variant_id,
        lemonSqueezyWebhookId: event.meta.webhook_id,
        ...money.original,
      }),
      ...(clickId ? { clickId, leadEventName: 'Sign up', customerName: order.user_name ?? null, customerEmail: order.user_email ?? null } : {}),
    },
  };
  return commands([sale], links);
});
