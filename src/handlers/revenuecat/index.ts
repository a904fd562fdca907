import * as z from 'zod';
import { handledRevenueCatEventTypes, mapRevenueCatEvent, parseRevenueCatEvent, revenuecatCustomerIdOf } from '../../mappers/revenuecat/index.js';
import { revenuecatSettings } from '../../mappers/revenuecat/settings.js';
import { defineProvider, refused } from '../provider.js';
import { createRevenueCatVerifier } from './verify.js';

/**
 * The exact `Authorization` value RevenueCat sends (optional in its dashboard, required here).
 * Shorter than 16 characters is a placeholder or guessable; a comma would split the list.
 */
const revenuecatAuth = z
  .string()
  .min(16, 'expected the Authorization header value set on the RevenueCat webhook, at least 16 characters (e.g. "Bearer <random>")')
  .refine((value) => !value.includes(','), 'the Authorization value must not contain a comma (commas separate rotated values)');

/** RevenueCat: `POST /webhooks/revenuecat`, authenticated by a shared Authorization header. */
export default defineProvider({
  source: 'revenuecat',
  label: 'RevenueCat',
  secretVariable: 'REVENUECAT_WEBHOOK_AUTH',
  secretHint: 'the authorization header value set on the webhook (RevenueCat → your project → Integrations → Webhooks)',
  secret: revenuecatAuth,
  settings: revenuecatSettings,
  createVerifier: createRevenueCatVerifier,
  identify(verified) {
    const event = (verified.json as { event?: { id?: unknown; type?: unknown; app_id?: unknown } } | null)?.event;
    if (typeof event?.id !== 'string' || event.id === '') return refused('invalid_payload', 'body has no string event.id');
    if (typeof event.type !== 'string' || event.type === '') return refused('invalid_payload', 'body has no string event.type');
    const account = typeof event.app_id === 'string' && event.app_id !== '' ? event.app_id : null;
    return { ok: true, value: { eventKey: event.id, eventType: event.type, account } };
  },
  parse: (json) => parseRevenueCatEvent(json),
  customerIdOf: revenuecatCustomerIdOf,
  map: mapRevenueCatEvent,
  handledEventTypes: handledRevenueCatEventTypes,
});
