import type { DubCommand } from '../../dub/commands.js';
import { bridgeMetadata, commands, ignored } from '../types.js';
import type { AppleMapper } from './envelope.js';
import { appleIds } from './sale.js';

/** Apple's revocationPercentage unit: milli-percent, 100000 = the whole transaction. */
const WHOLE = 100_000;

/**
 * `REFUND` of the transaction (sale invoiceId = transactionId). The refunded share is expressed
 * as refundedTotal = revocationPercentage out of paymentAmount = 100000, so the refund machinery
 * takes round-half-up(sale × percentage / 100000) off the sale; `REFUND_FULL` or no percentage
 * is the whole sale. refundId = transactionId: the percentage is the transaction's cumulative
 * state, so a redelivery or another notification reporting the same refund is the same outbox
 * key (`refund:apple:<transactionId>:<percentage>`) and applies once.
 */
export const refund: AppleMapper = (event, transaction) => {
  if (!transaction.currency) return ignored('refunded transaction names no currency');
  const percentage = transaction.revocationType === 'REFUND_FULL' || transaction.revocationPercentage == null ? WHOLE : transaction.revocationPercentage;
  if (percentage <= 0) return ignored('refund revokes 0% of the transaction');

  const command: DubCommand = {
    kind: 'refund',
    body: {
      refs: { invoiceId: transaction.transactionId },
      refundedTotal: percentage,
      paymentAmount: WHOLE,
      fullyRefunded: percentage >= WHOLE,
      currency: transaction.currency.toLowerCase(),
      refundId: transaction.transactionId,
      metadata: bridgeMetadata({
        ...appleIds(event, transaction),
        appleRevocationType: transaction.revocationType,
        appleRevocationPercentage: transaction.revocationPercentage,
        appleRevocationReason: transaction.revocationReason,
      }),
    },
  };
  return commands([command]);
};
