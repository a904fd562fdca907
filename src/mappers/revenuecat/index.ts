import { InvalidAmountError } from '../money.js';
import { ignored, tagTestEvent, type MapContext, type MapResult } from '../types.js';
import { cancellation } from './cancellation.js';
import { describeIssues, revenuecatEnvelope, type RevenueCatEvent, type RevenueCatMapper } from './envelope.js';
import { initialPurchase } from './initial-purchase.js';
import { nonRenewingPurchase } from './non-renewing-purchase.js';
import { renewal } from './renewal.js';
import { ignoredStores } from './settings.js';

export type { RevenueCatEvent };
export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: string };

// EXPIRATION, BILLING_ISSUE, PRODUCT_CHANGE, TRANSFER, UNCANCELLATION, REFUND_REVERSED, TEST and
// types RevenueCat adds later fall through to ignored.
const mappers: Record<string, RevenueCatMapper> = {
  INITIAL_PURCHASE: initialPurchase,
  RENEWAL: renewal,
  NON_RENEWING_PURCHASE: nonRenewingPurchase,
  CANCELLATION: cancellation,
};

/** Own keys only: a type such as `constructor` must not find Object.prototype's members. */
const mapperFor = (type: string): RevenueCatMapper | undefined => (Object.hasOwn(mappers, type) ? mappers[type] : undefined);

/** The event types the mappers handle. */
export const handledRevenueCatEventTypes: readonly string[] = Object.freeze(Object.keys(mappers));

/** Validates the envelope always and the transaction fields for handled types; unknown types pass. */
export function parseRevenueCatEvent(raw: unknown): ParseResult<RevenueCatEvent> {
  const envelope = revenuecatEnvelope.safeParse(raw);
  if (!envelope.success) return { ok: false, issues: describeIssues(envelope.error.issues) };
  const mapper = mapperFor(envelope.data.event.type);
  if (!mapper) return { ok: true, value: envelope.data };
  const event = mapper.schema.safeParse(envelope.data.event);
  if (!event.success) return { ok: false, issues: `invalid ${envelope.data.event.type}: ${describeIssues(event.error.issues, ['event'])}` };
  return { ok: true, value: { ...envelope.data, event: event.data } };
}

/** The subscriber whose customer link the pipeline looks up: `original_app_user_id` (stable), else `app_user_id`. */
export function revenuecatCustomerIdOf(body: RevenueCatEvent): string | null {
  const { original_app_user_id: original, app_user_id: current } = body.event;
  const id = typeof original === 'string' && original !== '' ? original : current;
  return typeof id === 'string' && id !== '' ? id : null;
}

/**
 * Maps a parsed event: stores in `REVENUECAT_IGNORE_STORES` are ignored, `environment = SANDBOX`
 * follows `TEST_EVENTS`, unknown types are ignored.
 */
export function mapRevenueCatEvent(body: RevenueCatEvent, ctx: MapContext): MapResult {
  const { type, store, environment } = body.event;
  const mapper = mapperFor(type);
  if (!mapper) return ignored(`unhandled event type ${type}`);
  if (store && ignoredStores(ctx.settings).has(store.toUpperCase())) return ignored(`store ${store} is in REVENUECAT_IGNORE_STORES`);
  const sandbox = environment === 'SANDBOX';
  if (sandbox && ctx.testEvents === 'skip') return ignored('test event skipped (TEST_EVENTS=skip)');
  // Re-checked so the mapper stays total even for an event that skipped parseRevenueCatEvent.
  const event = mapper.schema.safeParse(body.event);
  if (!event.success) return ignored(`invalid ${type}: ${describeIssues(event.error.issues, ['event'])}`);
  let result: MapResult;
  try {
    result = mapper.map(event.data, ctx);
  } catch (error) {
    if (error instanceof InvalidAmountError) return ignored(`amount out of range: ${error.message}`);
    throw error;
  }
  return sandbox && ctx.testEvents === 'tag' ? tagTestEvent(result) : result;
}
