import { bridgeMetadata, commands, ignored } from '../types.js';
import { resolveRevenueCatCustomer } from './customer.js';
import { priceToDubUnits } from './decimal.js';
import { transactionSchema, type RevenueCatMapper } from './envelope.js';
import { revenuecatIds } from './sale.js';

/**
 * `CANCELLATION` with `cancel_reason = CUSTOMER_SUPPORT` and a negative price is a refund of the
 * transaction's sale (invoiceId = `transaction_id`); every other cancellation only stops renewal.
 *
 * The refunded amount is sent as `refundedTotal` (what this transaction has had refunded) without a
 * payment amount: it is on the sale's own basis, and the executor voids the commission once it
 * reaches the sale. The refund is named by the transaction id, so the same refund reported twice
 * (another event id, same amount) has one outbox key and applies once, while a larger total later
 * still applies its difference.
 */
export const cancellation: RevenueCatMapper = {
  schema: transactionSchema,
  map(event, ctx) {
    const { links } = resolveRevenueCatCustomer(event, ctx.linkedExternalId);
    if (event.cancel_reason !== 'CUSTOMER_SUPPORT') return ignored(`cancellation (${event.cancel_reason ?? 'no reason'}) is not a refund`, links);
    const price = event.price_in_purchased_currency;
    if (typeof price !== 'number' || price >= 0 || !event.currency) {
      return ignored('CUSTOMER_SUPPORT cancellation without a negative price_in_purchased_currency: nothing refunded', links);
    }
    const currency = event.currency.toLowerCase();
    const refunded = -priceToDubUnits(price, currency);
    if (refunded <= 0) return ignored(`refund of ${price} ${event.currency} is 0 in Dub units`, links);
    return commands(
      [
        {
          kind: 'refund',
          body: {
            refs: { invoiceId: event.transaction_id },
            refundedTotal: refunded,
            fullyRefunded: false,
            currency,
            refundId: event.transaction_id,
            metadata: bridgeMetadata(revenuecatIds(event)),
          },
        },
      ],
      links,
    );
  },
};
