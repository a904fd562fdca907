import type { TriggerAdapter } from '../../cli/adapter.js';

/**
 * The App Store cannot be simulated: a notification is a JWS signed with Apple's private key, and
 * the bridge accepts only chains ending in a trusted root. Faking one would need the bridge to trust
 * a root this CLI holds the key of, which is exactly what must never be true in production.
 */
export const appleTrigger: TriggerAdapter = {
  events: {},
  unavailable(env) {
    const roots = env.APPLE_ROOT_CERTS?.trim();
    const why =
      "App Store notifications cannot be simulated: each is a JWS signed with Apple's private key, and the bridge accepts only certificate chains that end in a trusted root";
    const instead =
      'send a real one instead: a sandbox purchase, or the App Store Server API\'s "Request a Test Notification" (POST /inApps/v1/notifications/test), which Apple delivers to the Sandbox or Production URL of App Store Connect';
    if (!roots) return `${why} (Apple Root CA - G3). To test the route, ${instead}.`;
    return (
      `${why}. APPLE_ROOT_CERTS is set (${roots.includes('BEGIN CERTIFICATE') ? 'PEM text' : roots}), so the bridge trusts those roots instead of Apple's: ` +
      `a notification signed by a chain under one of them (leaf with OID 1.2.840.113635.100.6.11.1, intermediate with 1.2.840.113635.100.6.2.1) is accepted; sign it with that test CA's keys, which this CLI does not hold. Otherwise ${instead}.`
    );
  },
};
