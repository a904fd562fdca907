import { ignored, type MapContext, type MapResult } from '../types.js';
import { customerCreatedOrUpdated } from './customer-created-updated.js';
import { describeIssues, polarEnvelope, type PolarEvent, type PolarMapper } from './envelope.js';
import { orderPaid } from './order-paid.js';
import { orderRefunded } from './order-refunded.js';

export type { PolarEvent };
export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: string };

// `order.created`/`order.updated` precede payment, `refund.*` repeat what `order.refunded` says,
// `checkout.*` and `subscription.*` carry no money: all of them fall through to ignored.
const mappers: Record<string, PolarMapper<any>> = {
  'order.paid': orderPaid,
  'order.refunded': orderRefunded,
  'customer.created': customerCreatedOrUpdated,
  'customer.updated': customerCreatedOrUpdated,
};

/** Own keys only: a type such as `constructor` must not find Object.prototype's members. */
const mapperFor = (type: string): PolarMapper<any> | undefined => (Object.hasOwn(mappers, type) ? mappers[type] : undefined);

/** The event types the mappers handle (what the Polar endpoint should subscribe to). */
export const handledPolarEventTypes: readonly string[] = Object.freeze(Object.keys(mappers));

/**
 * Validates the body of a verified webhook: the envelope always, `data` for handled types only, so
 * a type Polar adds later parses (and is ignored: Polar disables endpoints that keep failing).
 */
export function parsePolarEvent(raw: unknown, webhookId: string): ParseResult<PolarEvent> {
  const envelope = polarEnvelope.safeParse(raw);
  if (!envelope.success) return { ok: false, issues: describeIssues(envelope.error.issues) };
  const event: PolarEvent = { webhookId, ...envelope.data };
  const mapper = mapperFor(event.type);
  if (!mapper) return { ok: true, value: event };
  const data = mapper.schema.safeParse(event.data);
  if (!data.success) return { ok: false, issues: `invalid ${event.type}: ${describeIssues(data.error.issues, ['data'])}` };
  return { ok: true, value: { ...event, data: data.data } };
}

/** The Polar customer id whose link the pipeline looks up: an order's `customer_id`, a customer's `id`. */
export function polarCustomerIdOf(event: PolarEvent): string | null {
  const data = event.data as Record<string, unknown> | undefined;
  const id = event.type.startsWith('customer.') ? data?.id : data?.customer_id;
  return typeof id === 'string' && id !== '' ? id : null;
}

/**
 * Maps a parsed event. Polar has no test flag in its payloads (its sandbox is a separate server
 * with its own endpoints and secrets), so `TEST_EVENTS` does not apply here.
 */
export function mapPolarEvent(event: PolarEvent, ctx: MapContext): MapResult {
  const mapper = mapperFor(event.type);
  if (!mapper) return ignored(`unhandled event type ${event.type}`);
  // Re-checked so the mapper stays total even for an event that skipped parsePolarEvent.
  const data = mapper.schema.safeParse(event.data);
  if (!data.success) return ignored(`invalid ${event.type}: ${describeIssues(data.error.issues, ['data'])}`);
  // zod's int() bounds amounts to safe integers, so the money helpers cannot throw here.
  return mapper.map(event, data.data, ctx);
}
