import { InvalidAmountError } from '../money.js';
import { ignored, tagTestEvent, type MapContext, type MapResult } from '../types.js';
import { describeIssues, lemonSqueezyEnvelope, type LemonSqueezyEvent, type LemonSqueezyMapper, type ParseResult } from './envelope.js';
import { orderCreated } from './order-created.js';
import { orderRefunded, subscriptionPaymentRefunded } from './refunded.js';
import { subscriptionPaymentSuccess } from './subscription-payment-success.js';

export type { LemonSqueezyEvent };

/** `subscription_payment_recovered` always comes with a success event, so it is left out. */
const mappers: Record<string, LemonSqueezyMapper<unknown>> = {
  order_created: orderCreated,
  subscription_payment_success: subscriptionPaymentSuccess,
  order_refunded: orderRefunded,
  subscription_payment_refunded: subscriptionPaymentRefunded,
};

/** Own keys only: a type such as `constructor` must not find Object.prototype's members. */
function mapperFor(type: string): LemonSqueezyMapper<unknown> | undefined {
  return Object.hasOwn(mappers, type) ? mappers[type] : undefined;
}

/** The event types the mappers handle (the webhook's events to tick). */
export const handledLemonSqueezyEventTypes: readonly string[] = Object.freeze(Object.keys(mappers));

/**
 * Validates the envelope, and `data.attributes` for handled types; unknown types only need the
 * envelope. `issues` names the bad field(s) by path, e.g. `data.attributes.total`.
 */
export function parseLemonSqueezyEvent(raw: unknown): ParseResult<LemonSqueezyEvent> {
  const envelope = lemonSqueezyEnvelope.safeParse(raw);
  if (!envelope.success) return { ok: false, issues: describeIssues(envelope.error.issues) };
  const mapper = mapperFor(envelope.data.meta.event_name);
  if (!mapper) return { ok: true, value: envelope.data };
  const attributes = mapper.schema.safeParse(envelope.data.data.attributes);
  if (!attributes.success) return { ok: false, issues: describeIssues(attributes.error.issues, ['data', 'attributes']) };
  return { ok: true, value: { ...envelope.data, data: { ...envelope.data.data, attributes: attributes.data as Record<string, unknown> } } };
}

/** The Lemon Squeezy customer id (`attributes.customer_id`) whose stored link the pipeline looks up. */
export function lemonSqueezyCustomerIdOf(event: LemonSqueezyEvent): string | null {
  const id: unknown = event.data.attributes?.customer_id;
  if (typeof id === 'number' && Number.isSafeInteger(id)) return String(id);
  return typeof id === 'string' && id !== '' ? id : null;
}

/**
 * Maps a parsed event; `meta.test_mode` events follow `TEST_EVENTS`. Unknown types →
 * `unhandled event type <type>`.
 */
export function mapLemonSqueezyEvent(event: LemonSqueezyEvent, ctx: MapContext): MapResult {
  const testMode = event.meta.test_mode === true;
  if (ctx.testEvents === 'skip' && testMode) return ignored('test event skipped (TEST_EVENTS=skip)');
  const type = event.meta.event_name;
  const mapper = mapperFor(type);
  if (!mapper) return ignored(`unhandled event type ${type}`);
  // Re-checked so the mapper stays total even for an event that skipped parsing (remap).
  const attributes = mapper.schema.safeParse(event.data.attributes);
  if (!attributes.success) return ignored(`invalid ${type}: ${describeIssues(attributes.error.issues, ['data', 'attributes'])}`);
  let result: MapResult;
  try {
    result = mapper.map(event, attributes.data, ctx);
  } catch (error) {
    if (error instanceof InvalidAmountError) return ignored(`amount out of range: ${error.message}`);
    throw error;
  }
  return ctx.testEvents === 'tag' && testMode ? tagTestEvent(result) : result;
}
