import type { DubCommand } from '../../dub/commands.js';
import { bridgeMetadata, commands, ignored, type MapResult } from '../types.js';
import { milliunitsToDub } from './amount.js';
import { notificationLabel, type AppleNotification, type AppleTransaction } from './envelope.js';

/** The Dub eventNames an App Store sale can carry (PROVIDERS.md vocabulary). */
export type AppleSaleEventName = 'Purchase' | 'Subscription creation' | 'Subscription renewal';

/** Provider ids every App Store command carries in its metadata. */
export function appleIds(event: AppleNotification, transaction: AppleTransaction) {
  return {
    appleNotificationUUID: event.notificationUUID,
    appleNotificationType: notificationLabel(event),
    appleBundleId: event.data?.bundleId,
    appleTransactionId: transaction.transactionId,
    appleOriginalTransactionId: transaction.originalTransactionId,
    appleProductId: transaction.productId,
    appleStorefront: transaction.storefront,
  };
}

/**
 * The sale for a transaction that charged the customer: `price` in Dub units, invoiceId =
 * transactionId (Apple's id for this one charge, so a retry or a second notification about the
 * same charge is the same sale), customer = the app's appAccountToken, else `apple_<originalTransactionId>`.
 */
export function appleSale(event: AppleNotification, transaction: AppleTransaction, eventName: AppleSaleEventName): MapResult {
  const { price, currency } = transaction;
  if (price === null || price === undefined) return ignored('transaction has no price (older than App Store price reporting)');
  if (price <= 0) return ignored(`transaction price is ${price} (free trial or 100% offer)`);
  if (!currency) return ignored('transaction names no currency');

  const money = milliunitsToDub(price, currency);
  const sale: DubCommand = {
    kind: 'sale',
    body: {
      customerExternalId: transaction.appAccountToken ?? `apple_${transaction.originalTransactionId}`,
      amount: money.amount,
      currency: money.currency,
      paymentProcessor: 'apple',
      eventName,
      invoiceId: transaction.transactionId,
      metadata: bridgeMetadata({ ...appleIds(event, transaction), ...money.original }),
    },
  };
  return commands([sale]);
}
