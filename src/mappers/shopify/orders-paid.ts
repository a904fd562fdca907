import * as z from 'zod';
import type { SaleBody } from '../../dub/commands.js';
import { decimalToDubUnits, isThreeDecimal } from '../money.js';
import { bridgeMetadata, commands, ignored, tagTestEvent } from '../types.js';
import { customerExternalId, deliveryIds, fullName, moneySet, numericId, orderClickId, orderGid, present, resourceId, type TopicMapper } from './shared.js';

const orderCustomer = z.object({
  id: numericId.nullish(),
  admin_graphql_api_id: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  email: z.string().nullish(),
});

const order = z
  .object({
    id: numericId,
    admin_graphql_api_id: z.string().nullish(),
    name: z.string().nullish(),
    email: z.string().nullish(),
    contact_email: z.string().nullish(),
    test: z.boolean().nullish(),
    current_subtotal_price_set: moneySet.nullish(),
    subtotal_price_set: moneySet.nullish(),
    note_attributes: z.array(z.object({ name: z.string(), value: z.unknown() })).nullish(),
    landing_site: z.string().nullish(),
    customer: orderCustomer.nullish(),
  })
  .refine((o) => o.current_subtotal_price_set || o.subtotal_price_set, {
    message: 'current_subtotal_price_set or subtotal_price_set is required',
    path: ['current_subtotal_price_set'],
  });

/**
 * `orders/paid` -> one `sale`. The amount is the current subtotal in the shop's currency: after
 * discounts and refund edits, without shipping and tax, as Dub's own Shopify app counts it.
 */
export const ordersPaid: TopicMapper<z.infer<typeof order>> = {
  schema: order,
  map(payload, meta, ctx) {
    if (payload.test && ctx.testEvents === 'skip') return ignored('test event skipped (TEST_EVENTS=skip)');

    // The refine guarantees one of the two; older API versions lack the current_* fields.
    const subtotal = (payload.current_subtotal_price_set ?? payload.subtotal_price_set)!;
    const { amount: decimal, currency_code: shopCurrency } = subtotal.shop_money;
    const amount = decimalToDubUnits(decimal, shopCurrency);
    if (amount === 0) return ignored(`free order: subtotal is 0 ${shopCurrency}`);

    const orderId = resourceId(payload)!;
    const customerId = payload.customer ? resourceId(payload.customer) : null;
    const email = present(payload.email) ?? present(payload.contact_email) ?? present(payload.customer?.email);
    const clickId = orderClickId(payload);

    // A sale with a click id also creates the customer and its lead in Dub (direct sale tracking).
    const attribution = clickId
      ? {
          clickId,
          leadEventName: 'Sign up',
          customerName: fullName(payload.customer?.first_name, payload.customer?.last_name),
          customerEmail: email,
        }
      : {};
    const body: SaleBody = {
      customerExternalId: customerExternalId(customerId, email, orderId),
      amount,
      currency: shopCurrency.toLowerCase(),
      paymentProcessor: 'shopify',
      eventName: 'Purchase',
      invoiceId: orderGid(orderId),
      metadata: bridgeMetadata({
        shopifyOrderId: orderId,
        orderName: payload.name,
        ...deliveryIds(meta),
        presentmentAmount: subtotal.presentment_money?.amount,
        presentmentCurrency: subtotal.presentment_money?.currency_code,
        // Dub counts hundredths; keep the exact thousandths the shop charged.
        originalAmount: isThreeDecimal(shopCurrency) ? decimal : null,
      }),
      ...attribution,
    };
    const result = commands([{ kind: 'sale', body, refs: { shopifyOrderId: orderId } }]);
    return payload.test && ctx.testEvents === 'tag' ? tagTestEvent(result) : result;
  },
};
