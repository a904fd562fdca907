import * as z from 'zod';
import { parseJson } from '../crypto.js';
import { refused, type Checked, type Verified, type Verifier, type VerifierDeps } from '../provider.js';
import { verifyAppleJws } from './jws.js';
import { appOf, withTransactionInfo } from './notification.js';
import { appAppleIdsOf } from './settings.js';
import { loadTrustedRoots } from './trust-roots.js';

const notificationBody = z.object({ signedPayload: z.string().min(1) });

/**
 * Builds the App Store verifier for a set of bundle ids (`APPLE_BUNDLE_ID`, one tenant's list).
 * Trusted roots are loaded here, once; an unreadable `APPLE_ROOT_CERTS` throws at start.
 * A request passes when its signedPayload and its signedTransactionInfo both verify (see
 * `verifyAppleJws`), its bundleId is configured, and, in Production, its appAppleId is
 * APPLE_APP_APPLE_ID. `secret` is the matched bundle id.
 */
export function createAppleVerifier(bundleIds: readonly string[], deps: VerifierDeps): Verifier {
  const roots = loadTrustedRoots(typeof deps.settings.APPLE_ROOT_CERTS === 'string' ? deps.settings.APPLE_ROOT_CERTS : undefined);
  const appAppleIds = appAppleIdsOf(deps.settings);

  return async (request): Promise<Checked<Verified>> => {
    const json = parseJson(request.text);
    if (!json.ok) return refused('malformed_json', 'the body is not JSON; App Store Server Notifications V2 post {"signedPayload": "<JWS>"}');
    const body = notificationBody.safeParse(json.value);
    if (!body.success) {
      // Version 1 notifications (notification_type, unified_receipt) land here.
      return refused('invalid_payload', 'the body has no signedPayload; set the App Store Connect notification URL to Version 2 notifications');
    }

    const verified = await verifyAppleJws(body.data.signedPayload, roots, deps.now);
    if (!verified.ok) return refused('invalid_signature', `signedPayload: ${verified.message}`);
    const notification = verified.payload;

    const app = appOf(notification);
    const bundleId = bundleIds.find((id) => id === app.bundleId);
    if (!bundleId) {
      return refused('invalid_signature', `the notification is for bundle id ${JSON.stringify(app.bundleId)}, which is not in APPLE_BUNDLE_ID`);
    }
    if (app.environment === 'Production') {
      if (appAppleIds.length === 0) {
        return refused('invalid_signature', "a Production notification needs APPLE_APP_APPLE_ID (the app's Apple ID in App Store Connect) to be configured");
      }
      if (!appAppleIds.includes(String(app.appAppleId))) {
        return refused('invalid_signature', `the notification's appAppleId ${app.appAppleId} is not APPLE_APP_APPLE_ID`);
      }
    }

    const data = notification.data as Record<string, unknown> | undefined;
    const signedTransaction = data?.signedTransactionInfo;
    if (signedTransaction === undefined) return { ok: true, value: { json: notification, secret: bundleId } };
    if (typeof signedTransaction !== 'string') return refused('invalid_signature', 'data.signedTransactionInfo is not a JWS string');
    const transaction = await verifyAppleJws(signedTransaction, roots, deps.now);
    if (!transaction.ok) return refused('invalid_signature', `data.signedTransactionInfo: ${transaction.message}`);
    if (transaction.payload.bundleId !== bundleId) {
      return refused('invalid_signature', `data.signedTransactionInfo is for bundle id ${JSON.stringify(transaction.payload.bundleId)}, not ${bundleId}`);
    }
    if (transaction.payload.environment !== undefined && transaction.payload.environment !== app.environment) {
      return refused(
        'invalid_signature',
        `data.signedTransactionInfo is from ${String(transaction.payload.environment)}, the notification from ${app.environment}`,
      );
    }
    return { ok: true, value: { json: withTransactionInfo(notification, transaction.payload), secret: bundleId } };
  };
}
