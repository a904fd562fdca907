import type { DubCommand } from '../../dub/commands.js';
import { bridgeMetadata, commands, ignored, type MapContext, type MapResult } from '../types.js';
import { resolveRevenueCatCustomer } from './customer.js';
import { floatToDecimalText, priceToDubUnits } from './decimal.js';
import type { RevenueCatTransaction } from './envelope.js';

/** The RevenueCat ids (and the exact price text) a command carries in its metadata. */
export function revenuecatIds(event: RevenueCatTransaction) {
  const price = event.price_in_purchased_currency;
  return {
    revenuecatEventId: event.id,
    revenuecatEventType: event.type,
    revenuecatAppId: event.app_id,
    revenuecatStore: event.store,
    revenuecatEnvironment: event.environment,
    revenuecatProductId: event.product_id,
    revenuecatTransactionId: event.transaction_id,
    revenuecatOriginalTransactionId: event.original_transaction_id,
    revenuecatAppUserId: event.app_user_id,
    priceInPurchasedCurrency: typeof price === 'number' && Number.isFinite(price) ? floatToDecimalText(price) : null,
    taxPercentage: event.tax_percentage,
  };
}

/**
 * A sale of `price_in_purchased_currency` (a float in major units, converted from its decimal text)
 * with invoiceId = the store's `transaction_id`; or ignored when the price is unknown or zero.
 */
export function revenuecatSale(event: RevenueCatTransaction, eventName: string, ctx: MapContext): MapResult {
  const customer = resolveRevenueCatCustomer(event, ctx.linkedExternalId);
  const price = event.price_in_purchased_currency;
  if (price === null || price === undefined) return ignored(`${event.type} has no price_in_purchased_currency (unknown price)`, customer.links);
  if (!event.currency) return ignored(`${event.type} has no currency`, customer.links);
  const currency = event.currency.toLowerCase();
  const amount = priceToDubUnits(price, currency);
  if (amount <= 0) return ignored(`${event.type} price is ${floatToDecimalText(price)} ${event.currency}: no sale`, customer.links);

  const sale: DubCommand = {
    kind: 'sale',
    body: {
      customerExternalId: customer.externalId,
      amount,
      currency,
      paymentProcessor: 'revenuecat',
      eventName,
      invoiceId: event.transaction_id,
      metadata: bridgeMetadata(revenuecatIds(event)),
      customerName: customer.customerName,
      customerEmail: customer.customerEmail,
      ...(customer.clickId ? { clickId: customer.clickId, leadEventName: 'Sign up' } : {}),
    },
  };
  return commands([sale], customer.links);
}
