import { ignored } from '../types.js';
import type { AppleMapper } from './envelope.js';
import { appleSale } from './sale.js';

/**
 * `SUBSCRIBED`: `INITIAL_BUY` is a new subscription; `RESUBSCRIBE` is a lapsed customer starting
 * it again, which Stripe would see as a new subscription from a new checkout, so both are
 * `Subscription creation` (Dub treats the name as a label; attribution follows the customer).
 */
export const subscribed: AppleMapper = (event, transaction) => {
  if (event.subtype === 'INITIAL_BUY' || event.subtype === 'RESUBSCRIBE') {
    return appleSale(event, transaction, 'Subscription creation');
  }
  return ignored(`unhandled SUBSCRIBED subtype ${event.subtype ?? '(none)'}`);
};
