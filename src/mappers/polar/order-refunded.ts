import type { DubCommand } from '../../dub/commands.js';
import { minorUnitsToDubUnits } from '../money.js';
import { bridgeMetadata, commands, ignored } from '../types.js';
import { polarMapper } from './envelope.js';
import { polarOrderSchema, resolvePolarCustomer } from './order.js';
import { polarIds } from './order-paid.js';

/**
 * `order.refunded` -> refund of the order's sale. `refunded_amount` is cumulative and pre-tax (tax
 * refunds are counted apart in `refunded_tax_amount`), the sale's basis; the refund series is named
 * by the order id, so each new cumulative total applies once and the ledger sends only the delta.
 * Polar's refundable base is `net_amount + applied_balance_amount`: when a customer balance was
 * used, that base is passed as the payment amount so the refund is scaled to the sale.
 */
export const orderRefunded = polarMapper(polarOrderSchema, (event, order, ctx) => {
  const { links } = resolvePolarCustomer(order, ctx.linkedExternalId);
  const refunded = order.refunded_amount ?? 0;
  if (order.net_amount <= 0) return ignored(`order ${order.id} was never a sale (net_amount ${order.net_amount})`, links);
  if (refunded <= 0) return ignored(`order ${order.id} has refunded_amount ${refunded}`, links);

  const currency = order.currency.toLowerCase();
  const base = order.net_amount + (order.applied_balance_amount ?? 0);
  const refund: DubCommand = {
    kind: 'refund',
    body: {
      refs: { invoiceId: order.id },
      refundedTotal: minorUnitsToDubUnits(refunded, currency),
      ...(base > 0 && base !== order.net_amount ? { paymentAmount: minorUnitsToDubUnits(base, currency) } : {}),
      fullyRefunded: order.status === 'refunded' || refunded >= base,
      currency,
      refundId: order.id,
      metadata: bridgeMetadata({ ...polarIds(event.webhookId, order), polarOrderStatus: order.status }),
    },
  };
  return commands([refund], links);
});
