import { bridgeMetadata, commands, ignored } from '../types.js';
import { resolveRevenueCatCustomer } from './customer.js';
import { transactionSchema, type RevenueCatMapper } from './envelope.js';
import { revenuecatIds, revenuecatSale } from './sale.js';

/**
 * `INITIAL_PURCHASE`: the first period of a subscription. Paid: a sale `Subscription creation`. A
 * free trial (price 0): a `Start trial` lead when the app set a click id, else nothing to track.
 */
export const initialPurchase: RevenueCatMapper = {
  schema: transactionSchema,
  map(event, ctx) {
    const freeTrial = event.period_type === 'TRIAL' && event.price_in_purchased_currency === 0;
    if (!freeTrial) return revenuecatSale(event, 'Subscription creation', ctx);

    const customer = resolveRevenueCatCustomer(event, ctx.linkedExternalId);
    if (!customer.clickId) return ignored('free trial started without a dubClickId subscriber attribute', customer.links);
    return commands(
      [
        {
          kind: 'lead',
          body: {
            clickId: customer.clickId,
            eventName: 'Start trial',
            customerExternalId: customer.externalId,
            customerName: customer.customerName,
            customerEmail: customer.customerEmail,
            metadata: bridgeMetadata(revenuecatIds(event)),
          },
        },
      ],
      customer.links,
    );
  },
};
