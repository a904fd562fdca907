import { transactionSchema, type RevenueCatMapper } from './envelope.js';
import { revenuecatSale } from './sale.js';

/** `NON_RENEWING_PURCHASE` (consumables, lifetime unlocks) -> sale `Purchase`. */
export const nonRenewingPurchase: RevenueCatMapper = {
  schema: transactionSchema,
  map: (event, ctx) => revenuecatSale(event, 'Purchase', ctx),
};
