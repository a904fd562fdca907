import { ignored, tagTestEvent, type MapContext, type MapResult } from '../types.js';
import { didRenew } from './did-renew.js';
import { appleEnvelope, appleTransaction, describeIssues, isTestEnvironment, type AppleMapper, type AppleNotification } from './envelope.js';
import { offerRedeemed } from './offer-redeemed.js';
import { oneTimeCharge } from './one-time-charge.js';
import { refund } from './refund.js';
import { subscribed } from './subscribed.js';

export type { AppleNotification };

const mappers: Record<string, AppleMapper> = {
  SUBSCRIBED: subscribed,
  DID_RENEW: didRenew,
  ONE_TIME_CHARGE: oneTimeCharge,
  OFFER_REDEEMED: offerRedeemed,
  REFUND: refund,
};

/** Own keys only: a type such as `constructor` must not find Object.prototype's members. */
function mapperFor(type: string): AppleMapper | undefined {
  return Object.hasOwn(mappers, type) ? mappers[type] : undefined;
}

/** The notificationTypes the mappers act on (subtypes are decided inside each mapper). */
export const handledAppleNotificationTypes: readonly string[] = Object.freeze(Object.keys(mappers));

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: string };

/**
 * Validates the decoded notification; handled types also need a valid `data.transactionInfo`.
 * Unknown types only need the envelope. `issues` names the bad field(s).
 */
export function parseAppleNotification(raw: unknown): ParseResult<AppleNotification> {
  const envelope = appleEnvelope.safeParse(raw);
  if (!envelope.success) return { ok: false, issues: describeIssues(envelope.error.issues) };
  if (!mapperFor(envelope.data.notificationType)) return { ok: true, value: envelope.data };
  const transaction = appleTransaction.safeParse(envelope.data.data?.transactionInfo);
  if (!transaction.success) return { ok: false, issues: describeIssues(transaction.error.issues, ['data', 'transactionInfo']) };
  return { ok: true, value: { ...envelope.data, data: { ...envelope.data.data, transactionInfo: transaction.data } } };
}

/**
 * Maps a parsed notification. Sandbox follows TEST_EVENTS; family-shared transactions are
 * ignored (the family member paid nothing; the purchaser's own transaction is the sale).
 */
export function mapAppleNotification(event: AppleNotification, ctx: MapContext): MapResult {
  const test = isTestEnvironment(event);
  if (ctx.testEvents === 'skip' && test) return ignored('test event skipped (TEST_EVENTS=skip)');
  const mapper = mapperFor(event.notificationType);
  if (!mapper) return ignored(`unhandled event type ${event.notificationType}`);
  // Re-checked so the mapper stays total even for an event that skipped parseAppleNotification.
  const transaction = appleTransaction.safeParse(event.data?.transactionInfo);
  if (!transaction.success) {
    return ignored(`invalid ${event.notificationType}: ${describeIssues(transaction.error.issues, ['data', 'transactionInfo'])}`);
  }
  if (transaction.data.inAppOwnershipType === 'FAMILY_SHARED') {
    return ignored('family-shared transaction: the family member paid nothing (the purchase is the sale)');
  }
  const result = mapper(event, transaction.data, ctx);
  return ctx.testEvents === 'tag' && test ? tagTestEvent(result) : result;
}
