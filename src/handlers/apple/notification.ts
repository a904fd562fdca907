import { parseJson } from '../crypto.js';
import { jwsPayloadOf } from './jws.js';

type JsonObject = Record<string, unknown>;

/** The app a decoded notification is about, wherever its type puts it. */
export interface AppOfNotification {
  bundleId: string | null;
  appAppleId: number | null;
  /** `Production` or `Sandbox` (Xcode/LocalTesting never pass the chain check). */
  environment: string | null;
}

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Most notifications carry the app in `data`; summary (`RENEWAL_EXTENSION` SUMMARY), external
 * purchase token and app-data notifications carry it elsewhere (as Apple's library reads them).
 */
export function appOf(notification: JsonObject): AppOfNotification {
  const source = [notification.data, notification.summary, notification.externalPurchaseToken, notification.appData].find(isObject);
  if (!source) return { bundleId: null, appAppleId: null, environment: null };
  let environment = typeof source.environment === 'string' ? source.environment : null;
  if (source === notification.externalPurchaseToken && typeof source.externalPurchaseId === 'string') {
    environment = source.externalPurchaseId.startsWith('SANDBOX') ? 'Sandbox' : 'Production';
  }
  return {
    bundleId: typeof source.bundleId === 'string' ? source.bundleId : null,
    appAppleId: typeof source.appAppleId === 'number' ? source.appAppleId : null,
    environment,
  };
}

/**
 * The document handed to identify/parse/map: the decoded notification with the decoded
 * `signedTransactionInfo` attached as `data.transactionInfo` (the JWS strings stay as they are).
 */
export function withTransactionInfo(notification: JsonObject, transactionInfo: JsonObject | null): JsonObject {
  if (!transactionInfo || !isObject(notification.data)) return notification;
  return { ...notification, data: { ...notification.data, transactionInfo } };
}

/**
 * `storedJson`: the same document from a stored raw body, decoded WITHOUT verification (the body
 * was verified before it was stored). A body that does not decode is returned as parsed, so
 * parse names what is missing instead of remap failing here.
 */
export function decodeStoredNotification(raw: string): unknown {
  const body = parseJson(raw);
  if (!body.ok || !isObject(body.value) || typeof body.value.signedPayload !== 'string') return body.ok ? body.value : raw;
  const notification = jwsPayloadOf(body.value.signedPayload);
  if (!notification) return body.value;
  const data = notification.data;
  const transaction = isObject(data) && typeof data.signedTransactionInfo === 'string' ? jwsPayloadOf(data.signedTransactionInfo) : null;
  return withTransactionInfo(notification, transaction);
}
