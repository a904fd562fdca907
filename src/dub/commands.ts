import * as z from 'zod';

/**
 * Request bodies for Dub's track and customer APIs, validated before they leave the bridge
 * so a mapping bug becomes a clear dead letter instead of a confusing 422 from Dub.
 */
const metadata = z.record(z.string(), z.unknown());
const externalId = z.string().min(1).max(255);

export const leadBody = z.object({
  clickId: z.string().min(1),
  eventName: z.string().min(1).max(255),
  customerExternalId: externalId,
  customerName: z.string().max(255).nullish(),
  customerEmail: z.string().max(255).nullish(),
  customerAvatar: z.string().nullish(),
  metadata: metadata.optional(),
});
export type LeadBody = z.infer<typeof leadBody>;

/** Dub's `paymentProcessor` enum (its track API refuses other values). */
export const paymentProcessors = ['stripe', 'shopify', 'polar', 'paddle', 'lemonsqueezy', 'revenuecat', 'apple', 'custom'] as const;
export type PaymentProcessor = (typeof paymentProcessors)[number];

export const saleBody = z.object({
  customerExternalId: externalId,
  /** Dub units: cents, or whole units for zero-decimal currencies. */
  amount: z.number().int().min(0),
  /** Lowercase ISO 4217. */
  currency: z.string().regex(/^[a-z]{3}$/),
  paymentProcessor: z.enum(paymentProcessors),
  eventName: z.string().min(1).max(255),
  invoiceId: z.string().min(1),
  metadata: metadata.optional(),
  clickId: z.string().min(1).optional(),
  leadEventName: z.string().min(1).optional(),
  customerName: z.string().max(255).nullish(),
  customerEmail: z.string().max(255).nullish(),
  customerAvatar: z.string().nullish(),
});
export type SaleBody = z.infer<typeof saleBody>;

export const customerBody = z.object({
  name: z.string().max(255).nullish(),
  email: z.string().max(255).nullish(),
  avatar: z.string().nullish(),
  stripeCustomerId: z.string().nullish(),
});
export type CustomerBody = z.infer<typeof customerBody>;

/**
 * A refund adjusts the commission of an earlier sale. `refundedTotal` is cumulative (in Dub units)
 * so redeliveries and reordering can be reconciled against what was already sent.
 */
export const refundBody = z.object({
  /**
   * Provider references the refund carries (`invoiceId`, or the provider's own names such as
   * `paymentIntent`, `charge`); the sale ledger resolves them to the sale's invoiceId.
   */
  refs: z.object({ invoiceId: z.string().nullish() }).catchall(z.string().nullish()),
  /** Cumulative refunded amount in Dub units (Stripe `amount_refunded`), when the provider gives it. */
  refundedTotal: z.number().int().min(0).optional(),
  /** The amount this single refund returns, in Dub units (Shopify `refunds/create`). */
  refundedDelta: z.number().int().min(0).optional(),
  /**
   * The refunded payment's whole amount in Dub units (Stripe `charge.amount`, tax included), so a
   * partial refund can be scaled to the sale's basis (the sale was sent without tax).
   */
  paymentAmount: z.number().int().positive().optional(),
  /** True when the provider says the whole payment is refunded. */
  fullyRefunded: z.boolean(),
  currency: z.string().regex(/^[a-z]{3}$/),
  /** Provider id of this refund (Shopify refund id, Stripe charge id). */
  refundId: z.string().min(1),
  metadata: metadata.optional(),
});
export type RefundBody = z.infer<typeof refundBody>;

/**
 * Provider references of a sale that a later refund may carry instead of the invoiceId, by the
 * provider's own name for them (kept in the sale ledger, never sent to Dub).
 */
export const saleRefs = z.record(z.string(), z.string().nullish());
export type SaleRefs = z.infer<typeof saleRefs>;

/** One call the bridge will make to Dub. */
export type DubCommand =
  | { kind: 'lead'; body: LeadBody }
  /**
   * `provisional`: built without the merchant's attribution (a first invoice that may arrive
   * before its checkout session); held briefly and replaced if a richer sale with the same
   * invoiceId arrives while it is still pending.
   */
  | { kind: 'sale'; body: SaleBody; refs?: SaleRefs; provisional?: boolean }
  /** `PATCH /customers/ext_<externalId>`; `leadIfUnknown` is tracked when Dub answers 404. */
  | { kind: 'customer'; externalId: string; body: CustomerBody; leadIfUnknown?: LeadBody }
  | { kind: 'refund'; body: RefundBody };

export type CommandKind = DubCommand['kind'];

export const dubCommand: z.ZodType<DubCommand> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('lead'), body: leadBody }),
  z.object({ kind: z.literal('sale'), body: saleBody, refs: saleRefs.optional(), provisional: z.boolean().optional() }),
  z.object({
    kind: z.literal('customer'),
    externalId,
    body: customerBody,
    leadIfUnknown: leadBody.optional(),
  }),
  z.object({ kind: z.literal('refund'), body: refundBody }),
]);

/**
 * The outbox's unique key for a command: the same key means the same effect in Dub, so a second
 * event producing it (a subscription checkout and its first invoice) adds no second row.
 */
export function commandKey(source: string, command: DubCommand, eventKey: string): string {
  switch (command.kind) {
    case 'sale':
      return `sale:${command.body.paymentProcessor}:${command.body.invoiceId}`;
    case 'lead':
      return `lead:${source}:${command.body.customerExternalId}:${command.body.eventName}`;
    case 'customer':
      return `customer:${source}:${command.externalId}:${eventKey}`;
    case 'refund':
      return `refund:${source}:${command.body.refundId}:${command.body.refundedTotal ?? command.body.refundedDelta ?? 0}`;
  }
}

/** The customer a command concerns, used to deliver a customer's lead before their sale. */
export function commandCustomer(command: DubCommand): string | null {
  switch (command.kind) {
    case 'sale':
    case 'lead':
      return command.body.customerExternalId;
    case 'customer':
      return command.externalId;
    case 'refund':
      return null;
  }
}
