import * as z from 'zod';
import type { DubCommand } from '../../dub/commands.js';
import { bridgeMetadata, commands, ignored } from '../types.js';
import { compact, toDubAmount } from './amount.js';
import { resolveCustomer, stripeMetadata } from './attribution.js';
import { stripeCurrency, stripeMapper } from './envelope.js';

const chargeSchema = z.object({
  id: z.string().min(1),
  amount: z.number().int(),
  amount_refunded: z.number().int(),
  refunded: z.boolean().nullish(),
  currency: stripeCurrency,
  customer: z.string().nullish(),
  payment_intent: z.string().nullish(),
  // Removed from charges in API 2025-03-31; older versions still send it.
  invoice: z.string().nullish(),
  metadata: stripeMetadata,
});

/**
 * `charge.refunded`: `amount_refunded` is cumulative, so the refund carries the total and the sale
 * ledger (elsewhere) sends Dub only the part not sent yet. The charge id identifies the refund
 * series; the references let the ledger find the sale.
 */
export const chargeRefunded = stripeMapper(chargeSchema, (event, charge, ctx) => {
  // Charges inherit the payment intent's metadata, so a merchant id there is worth linking.
  const { links } = resolveCustomer({ metadata: [charge.metadata], stripeCustomerId: charge.customer, email: null }, ctx);
  if (charge.amount_refunded <= 0) return ignored('charge refunded nothing (amount_refunded 0)', links);

  const refunded = toDubAmount(charge.amount_refunded, charge.currency);
  const refund: DubCommand = {
    kind: 'refund',
    body: {
      refs: compact({ paymentIntent: charge.payment_intent, stripeInvoice: charge.invoice, chargeId: charge.id }),
      refundedTotal: refunded.amount,
      ...(charge.amount > 0 ? { paymentAmount: toDubAmount(charge.amount, charge.currency).amount } : {}),
      fullyRefunded: charge.refunded === true || charge.amount_refunded >= charge.amount,
      currency: refunded.currency,
      refundId: charge.id,
      metadata: bridgeMetadata({
        stripeEventId: event.id,
        stripeAccountId: event.account,
        stripeChargeId: charge.id,
        stripePaymentIntentId: charge.payment_intent,
        stripeInvoiceId: charge.invoice,
        stripeCustomerId: charge.customer,
        ...refunded.original,
      }),
    },
  };
  return commands([refund], links);
});
