import * as z from 'zod';
import { handledPaddleEventTypes, mapPaddleEvent, paddleCustomerIdOf, parsePaddleEvent } from '../../mappers/paddle/index.js';
import { defineProvider, refused, type Checked, type Identity, type Verified } from '../provider.js';
import { createPaddleVerifier } from './verify.js';

/**
 * A notification destination's endpoint secret key: `pdl_ntfset_<26 chars>_<32 chars>` today.
 * Other shapes exist (sandbox, older destinations), so only obviously truncated values are refused.
 */
export const paddleSecret = z
  .string()
  .min(
    32,
    "expected the notification destination's endpoint secret key (pdl_ntfset_<26 chars>_<32 chars>, Paddle > Developer tools > Notifications > Edit destination); this value is too short",
  );

/** Inbox key `event_id` (Paddle retries resend the same event id), type `event_type`. */
export function identifyPaddle(verified: Verified): Checked<Identity> {
  const json = verified.json as { event_id?: unknown; event_type?: unknown } | null;
  const eventId = typeof json === 'object' && json !== null ? json.event_id : undefined;
  const eventType = typeof json === 'object' && json !== null ? json.event_type : undefined;
  if (typeof eventId !== 'string' || eventId === '') return refused('invalid_payload', 'Paddle notification has no event_id');
  if (typeof eventType !== 'string' || eventType === '') return refused('invalid_payload', 'Paddle notification has no event_type');
  return { ok: true, value: { eventKey: eventId, eventType, account: null } };
}

/** Paddle Billing: `POST /webhooks/paddle`, secret `PADDLE_WEBHOOK_SECRET`, Dub processor `paddle`. */
export default defineProvider({
  source: 'paddle',
  label: 'Paddle',
  secretVariable: 'PADDLE_WEBHOOK_SECRET',
  secretHint: "the notification destination's endpoint secret key (pdl_ntfset_…)",
  secret: paddleSecret,
  createVerifier: createPaddleVerifier,
  identify: identifyPaddle,
  parse: parsePaddleEvent,
  customerIdOf: paddleCustomerIdOf,
  map: mapPaddleEvent,
  handledEventTypes: handledPaddleEventTypes,
});
