import * as z from 'zod';
import { addDecimals, decimalToDubUnits, isThreeDecimal } from '../money.js';
import { bridgeMetadata, commands, ignored } from '../types.js';
import { deliveryIds, moneySet, numericId, orderGid, resourceId, type TopicMapper } from './shared.js';

const refund = z.object({
  id: numericId,
  admin_graphql_api_id: z.string().nullish(),
  // A refund carries no order gid. JSON.parse keeps `order_id` exact below 2^53 (~9.007e15);
  // Shopify order ids are ~13 digits today, so this matches the sale's order gid.
  order_id: numericId,
  refund_line_items: z.array(z.object({ subtotal_set: moneySet })).nullish(),
});

/**
 * `refunds/create` -> `refund` of this refund's line subtotals, in shop money: the same basis as
 * the sale. Shopify does not say whether the order is now fully refunded; the sale ledger decides.
 */
export const refundsCreate: TopicMapper<z.infer<typeof refund>> = {
  schema: refund,
  map(payload, meta) {
    const lines = payload.refund_line_items ?? [];
    const currency = lines[0]?.subtotal_set.shop_money.currency_code;
    // Shipping-only or fee-only refunds change nothing the sale counted.
    if (!currency) return ignored('refund has no line items (shipping or adjustment only)');

    const refunded = addDecimals(lines.map((line) => line.subtotal_set.shop_money.amount));
    const refundedDelta = decimalToDubUnits(refunded, currency);
    if (refundedDelta === 0) return ignored(`refund returns 0 ${currency} of line subtotals`);

    const orderId = String(payload.order_id);
    const refundId = resourceId(payload)!;
    return commands([
      {
        kind: 'refund',
        body: {
          refs: { invoiceId: orderGid(orderId) },
          refundedDelta,
          fullyRefunded: false,
          currency: currency.toLowerCase(),
          refundId,
          metadata: bridgeMetadata({
            shopifyRefundId: refundId,
            shopifyOrderId: orderId,
            ...deliveryIds(meta),
            originalAmount: isThreeDecimal(currency) ? refunded : null,
          }),
        },
      },
    ]);
  },
};
