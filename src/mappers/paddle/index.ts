import { InvalidAmountError } from '../money.js';
import { ignored, type MapContext, type MapResult } from '../types.js';
import { adjustmentCreatedOrUpdated } from './adjustment-created-updated.js';
import { customerCreatedOrUpdated } from './customer-created-updated.js';
import { describeIssues, paddleEnvelope, type PaddleEvent, type PaddleMapper, type ParseResult } from './envelope.js';
import { transactionCompleted } from './transaction-completed.js';

export type { PaddleEvent };

/** `transaction.completed` is the sale; `transaction.paid` may lack fields and is left out on purpose. */
const mappers: Record<string, PaddleMapper<unknown>> = {
  'transaction.completed': transactionCompleted,
  'customer.created': customerCreatedOrUpdated,
  'customer.updated': customerCreatedOrUpdated,
  'adjustment.created': adjustmentCreatedOrUpdated,
  'adjustment.updated': adjustmentCreatedOrUpdated,
};

/** Own keys only: a type such as `constructor` must not find Object.prototype's members. */
function mapperFor(type: string): PaddleMapper<unknown> | undefined {
  return Object.hasOwn(mappers, type) ? mappers[type] : undefined;
}

/** The event types the mappers handle (the notification destination's subscribed events). */
export const handledPaddleEventTypes: readonly string[] = Object.freeze(Object.keys(mappers));

/**
 * Validates the envelope, and `data` for handled types; unknown types only need the envelope.
 * `issues` names the bad field(s) by path, e.g. `data.details.totals.tax`.
 */
export function parsePaddleEvent(raw: unknown): ParseResult<PaddleEvent> {
  const envelope = paddleEnvelope.safeParse(raw);
  if (!envelope.success) return { ok: false, issues: describeIssues(envelope.error.issues) };
  const mapper = mapperFor(envelope.data.event_type);
  if (!mapper) return { ok: true, value: envelope.data };
  const data = mapper.schema.safeParse(envelope.data.data);
  if (!data.success) return { ok: false, issues: describeIssues(data.error.issues, ['data']) };
  return { ok: true, value: { ...envelope.data, data: data.data } };
}

/** The Paddle customer (`ctm_…`) whose stored link the pipeline looks up before mapping. */
export function paddleCustomerIdOf(event: PaddleEvent): string | null {
  const data: unknown = event.data;
  if (typeof data !== 'object' || data === null) return null;
  // A customer event's own id is the customer; other entities name it in `customer_id`.
  const id = event.event_type.startsWith('customer.') ? (data as { id?: unknown }).id : (data as { customer_id?: unknown }).customer_id;
  return typeof id === 'string' && id !== '' ? id : null;
}

/**
 * Maps a parsed event. Paddle payloads carry no test flag (sandbox is a separate account with its
 * own secret), so `TEST_EVENTS` does not apply. Unknown types → `unhandled event type <type>`.
 */
export function mapPaddleEvent(event: PaddleEvent, ctx: MapContext): MapResult {
  const mapper = mapperFor(event.event_type);
  if (!mapper) return ignored(`unhandled event type ${event.event_type}`);
  // Re-checked so the mapper stays total even for an event that skipped parsePaddleEvent (remap).
  const data = mapper.schema.safeParse(event.data);
  if (!data.success) return ignored(`invalid ${event.event_type}: ${describeIssues(data.error.issues, ['data'])}`);
  try {
    return mapper.map(event, data.data, ctx);
  } catch (error) {
    // Schemas bound every amount to 20 digits, so only an absurd sum (beyond 2^53) lands here.
    if (error instanceof InvalidAmountError) return ignored(`amount out of range: ${error.message}`);
    throw error;
  }
}
