import * as z from 'zod';
import { bridgeMetadata, commands, ignored } from '../types.js';
import { paddleToDubUnits } from './amount.js';
import { paddleCurrency, paddleMapper, paddleMoney } from './envelope.js';

const adjustmentSchema = z.object({
  id: z.string().min(1),
  action: z.string().min(1),
  type: z.string().nullish(),
  status: z.string().min(1),
  transaction_id: z.string().min(1),
  customer_id: z.string().nullish(),
  subscription_id: z.string().nullish(),
  currency_code: paddleCurrency,
  totals: z.object({ subtotal: paddleMoney, tax: paddleMoney.nullish(), total: paddleMoney.nullish() }),
});

/**
 * `adjustment.created` / `adjustment.updated`: an approved refund takes its pre-tax `subtotal` off
 * the sale of `transaction_id`; `type: full` refunds the whole sale. A refund usually arrives first
 * as `pending_approval` (ignored) and later as `approved`; both events of an approved adjustment
 * give the same outbox key (adjustment id + amount), so it applies once.
 */
export const adjustmentCreatedOrUpdated = paddleMapper(adjustmentSchema, (event, adjustment) => {
  if (adjustment.action !== 'refund') return ignored(`adjustment action ${adjustment.action} is not a refund`);
  if (adjustment.status !== 'approved') return ignored(`refund adjustment is ${adjustment.status}, not approved`);

  const fullyRefunded = adjustment.type === 'full';
  const refunded = paddleToDubUnits(BigInt(adjustment.totals.subtotal), adjustment.currency_code);
  // A tax-only refund (type `tax`) returns nothing of the pre-tax sale.
  if (refunded.amount <= 0 && !fullyRefunded) return ignored('refund adjustment returns nothing before tax');

  return commands([
    {
      kind: 'refund',
      body: {
        refs: { invoiceId: adjustment.transaction_id },
        refundedDelta: Math.max(refunded.amount, 0),
        fullyRefunded,
        currency: refunded.currency,
        refundId: adjustment.id,
        metadata: bridgeMetadata({
          paddleEventId: event.event_id,
          paddleAdjustmentId: adjustment.id,
          paddleTransactionId: adjustment.transaction_id,
          paddleCustomerId: adjustment.customer_id,
          paddleSubscriptionId: adjustment.subscription_id,
          paddleAdjustmentType: adjustment.type,
          paddleOccurredAt: event.occurred_at,
          ...refunded.original,
        }),
      },
    },
  ]);
});
