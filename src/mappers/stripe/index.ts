import { ignored, tagTestEvent, type MapContext, type MapResult } from '../types.js';
import { chargeRefunded } from './charge-refunded.js';
import { checkoutSessionAsyncPaymentSucceeded } from './checkout-session-async-payment-succeeded.js';
import { checkoutSessionCompleted } from './checkout-session-completed.js';
import { customerCreatedOrUpdated } from './customer-created-updated.js';
import { describeIssues, stripeEnvelope, type ParseResult, type StripeEvent, type StripeMapper } from './envelope.js';
import { invoicePaid } from './invoice-paid.js';

export { stripeEnvelope, type ParseResult, type StripeEvent };

const mappers: Record<string, StripeMapper<unknown>> = {
  'checkout.session.completed': checkoutSessionCompleted,
  'checkout.session.async_payment_succeeded': checkoutSessionAsyncPaymentSucceeded,
  'invoice.paid': invoicePaid,
  'customer.created': customerCreatedOrUpdated,
  'customer.updated': customerCreatedOrUpdated,
  'charge.refunded': chargeRefunded,
};

/** Own keys only: a type such as `constructor` must not find Object.prototype's members. */
function mapperFor(type: string): StripeMapper<unknown> | undefined {
  return Object.hasOwn(mappers, type) ? mappers[type] : undefined;
}

/** The event types the mappers handle (used to register the webhook endpoint). */
export const handledStripeEventTypes: readonly string[] = Object.freeze(Object.keys(mappers));

/**
 * Validates envelope + the per-type schema of data.object for handled types; unknown types only
 * need a valid envelope. `issues` is a short human message naming the bad field(s).
 */
export function parseStripeEvent(raw: unknown): ParseResult<StripeEvent> {
  const envelope = stripeEnvelope.safeParse(raw);
  if (!envelope.success) return { ok: false, issues: describeIssues(envelope.error.issues) };
  const mapper = mapperFor(envelope.data.type);
  if (!mapper) return { ok: true, value: envelope.data };
  const object = mapper.schema.safeParse(envelope.data.data.object);
  if (!object.success) return { ok: false, issues: describeIssues(object.error.issues, ['data', 'object']) };
  return { ok: true, value: { ...envelope.data, data: { ...envelope.data.data, object: object.data } } };
}

/**
 * The Stripe customer id (`cus_…`) whose customer-link the pipeline should look up before mapping
 * (the event object's `customer` field when it is a string, else null).
 */
export function stripeCustomerIdOf(event: StripeEvent): string | null {
  const customer: unknown = event.data.object?.customer;
  return typeof customer === 'string' && customer !== '' ? customer : null;
}

/** Maps a parsed event. Unknown types -> ignored with reason `unhandled event type <type>`. */
export function mapStripeEvent(event: StripeEvent, ctx: MapContext): MapResult {
  if (ctx.testEvents === 'skip' && !event.livemode) return ignored('test event skipped (TEST_EVENTS=skip)');
  const mapper = mapperFor(event.type);
  if (!mapper) return ignored(`unhandled event type ${event.type}`);
  // Re-checked so the mapper stays total even for an event that skipped parseStripeEvent.
  const object = mapper.schema.safeParse(event.data.object);
  if (!object.success) {
    return ignored(`invalid ${event.type}: ${describeIssues(object.error.issues, ['data', 'object'])}`);
  }
  const result = mapper.map(event, object.data, ctx);
  return ctx.testEvents === 'tag' && !event.livemode ? tagTestEvent(result) : result;
}
