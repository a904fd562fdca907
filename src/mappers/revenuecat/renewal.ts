import { transactionSchema, type RevenueCatMapper } from './envelope.js';
import { revenuecatSale } from './sale.js';

/**
 * `RENEWAL` -> sale `Subscription renewal`. A trial conversion (`is_trial_conversion`) is the
 * subscription's first paid period, which the eventName vocabulary calls `Subscription creation`.
 */
export const renewal: RevenueCatMapper = {
  schema: transactionSchema,
  map: (event, ctx) => revenuecatSale(event, event.is_trial_conversion ? 'Subscription creation' : 'Subscription renewal', ctx),
};
