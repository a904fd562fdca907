import type { DubCommand } from '../../dub/commands.js';
import { minorUnitsToDubUnits } from '../money.js';
import { bridgeMetadata, commands, ignored } from '../types.js';
import { metadataString, polarMapper } from './envelope.js';
import { nonEmpty, polarOrderSchema, resolvePolarCustomer, type PolarOrder } from './order.js';

/** Dub eventName per Polar `billing_reason`; an unknown (newer) reason counts as a purchase. */
const EVENT_NAMES: Record<string, string> = {
  purchase: 'Purchase',
  subscription_create: 'Subscription creation',
  subscription_cycle: 'Subscription renewal',
  subscription_update: 'Subscription renewal',
  subscription_meter_cycle: 'Subscription renewal',
};

/** The Dub eventName of an order's `billing_reason`. */
const eventNameFor = (reason: string): string => (Object.hasOwn(EVENT_NAMES, reason) ? EVENT_NAMES[reason]! : 'Purchase');

/** The Polar ids a command carries in its metadata. */
export function polarIds(webhookId: string, order: PolarOrder) {
  return {
    polarWebhookId: webhookId,
    polarOrderId: order.id,
    polarCustomerId: order.customer_id,
    polarSubscriptionId: order.subscription_id,
    polarCheckoutId: order.checkout_id,
    polarProductId: order.product_id,
    polarBillingReason: order.billing_reason,
  };
}

/**
 * `order.paid` -> sale of `net_amount` (after discounts, before tax), invoiceId = the order id.
 * Checkout metadata is copied onto renewal orders, so a click id set at checkout survives renewals.
 * A free order (net_amount 0: 100 % discount, free product) is no sale.
 */
export const orderPaid = polarMapper(polarOrderSchema, (event, order, ctx) => {
  const { externalId, links } = resolvePolarCustomer(order, ctx.linkedExternalId);
  if (order.net_amount <= 0) return ignored(`order ${order.id} has net_amount ${order.net_amount} (free or fully discounted)`, links);

  const currency = order.currency.toLowerCase();
  const clickId = metadataString(order.metadata, 'dubClickId');
  const sale: DubCommand = {
    kind: 'sale',
    body: {
      customerExternalId: externalId,
      amount: minorUnitsToDubUnits(order.net_amount, currency),
      currency,
      paymentProcessor: 'polar',
      eventName: eventNameFor(order.billing_reason),
      invoiceId: order.id,
      metadata: bridgeMetadata(polarIds(event.webhookId, order)),
      customerName: nonEmpty(order.customer?.name),
      customerEmail: nonEmpty(order.customer?.email),
      ...(clickId ? { clickId, leadEventName: 'Sign up' } : {}),
    },
  };
  return commands([sale], links);
});
