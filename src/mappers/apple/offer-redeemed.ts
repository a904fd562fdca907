import { ignored } from '../types.js';
import type { AppleMapper } from './envelope.js';
import { appleSale } from './sale.js';

/**
 * `OFFER_REDEEMED`: a promotional offer or offer code. The transaction is a charge made now only
 * for a first purchase (`INITIAL_BUY`), a return (`RESUBSCRIBE`) or an immediate `UPGRADE`; a
 * `DOWNGRADE`, or an offer applied to the active subscription (no subtype), is charged at the
 * next renewal, which its own `DID_RENEW` reports. Offer codes for one-time products are purchases.
 */
export const offerRedeemed: AppleMapper = (event, transaction) => {
  if (transaction.type && transaction.type !== 'Auto-Renewable Subscription') return appleSale(event, transaction, 'Purchase');
  switch (event.subtype) {
    case 'INITIAL_BUY':
    case 'RESUBSCRIBE':
      return appleSale(event, transaction, 'Subscription creation');
    case 'UPGRADE':
      return appleSale(event, transaction, 'Subscription renewal');
    default:
      return ignored(`OFFER_REDEEMED ${event.subtype ?? 'without subtype'} takes effect at the next renewal (DID_RENEW is that sale)`);
  }
};
