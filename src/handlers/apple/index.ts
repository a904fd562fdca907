import * as z from 'zod';
import { handledAppleNotificationTypes, mapAppleNotification, parseAppleNotification, type AppleNotification } from '../../mappers/apple/index.js';
import { defineProvider, refused, type Checked, type Identity, type Verified } from '../provider.js';
import { appOf, decodeStoredNotification } from './notification.js';
import { appleSettings } from './settings.js';
import { createAppleVerifier } from './verifier.js';

/** A bundle ID: reverse-DNS, as App Store Connect shows it (`com.example.app`). */
const bundleId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/, "expected the app's bundle ID in reverse-DNS form, e.g. com.example.app");

/**
 * Inbox key `notificationUUID` (Apple's retries resend it). The type is `notificationType:subtype`
 * (or the bare type): the stored body is an opaque JWS, so the inbox's type column is where an
 * operator reads that a SUBSCRIBED was a RESUBSCRIBE. Account = the bundle id.
 */
export function identifyApple(verified: Verified): Checked<Identity> {
  const json = verified.json as { notificationUUID?: unknown; notificationType?: unknown; subtype?: unknown } | null;
  if (typeof json?.notificationUUID !== 'string' || json.notificationUUID === '') {
    return refused('invalid_payload', 'App Store notification has no notificationUUID');
  }
  if (typeof json.notificationType !== 'string' || json.notificationType === '') {
    return refused('invalid_payload', 'App Store notification has no notificationType');
  }
  const eventType = typeof json.subtype === 'string' && json.subtype !== '' ? `${json.notificationType}:${json.subtype}` : json.notificationType;
  return { ok: true, value: { eventKey: json.notificationUUID, eventType, account: appOf(json as Record<string, unknown>).bundleId } };
}

/** App Store Server Notifications V2: `POST /webhooks/apple`, `APPLE_BUNDLE_ID`, Dub processor `apple`. */
export default defineProvider<AppleNotification, 'apple'>({
  source: 'apple',
  label: 'App Store',
  secretVariable: 'APPLE_BUNDLE_ID',
  secretHint:
    "the app's bundle ID (App Store Connect > App Information, e.g. com.example.app), comma-separated for several apps; " +
    'notifications are verified by their Apple certificate chain, so there is no shared secret',
  secret: bundleId,
  settings: appleSettings,
  createVerifier: createAppleVerifier,
  identify: identifyApple,
  storedJson: decodeStoredNotification,
  parse: (json) => parseAppleNotification(json),
  map: mapAppleNotification,
  handledEventTypes: handledAppleNotificationTypes,
});
