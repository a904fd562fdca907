import { isSet, type ManualProvider } from '../../cli/commands/register-manual.js';

/**
 * App Store Server Notifications are set per app in App Store Connect (no API call with a shared
 * secret): `register apple` prints the steps with the bridge's URL and what the bridge still lacks.
 */
export const appleSetup: ManualProvider = {
  source: 'apple',
  label: 'App Store',
  register(url, ctx, tenant) {
    const bundle = ctx.env.APPLE_BUNDLE_ID?.trim();
    return {
      why: "App Store Server Notifications are set per app in App Store Connect; there is no shared secret (each notification is verified by Apple's certificate chain).",
      steps: [
        'App Store Connect > Apps > your app > General > App Information > App Store Server Notifications',
        `Production Server URL: ${url}   and choose Version 2 Notifications (Version 1 is refused)`,
        `Sandbox Server URL: ${url}   (optional: TestFlight and sandbox purchases; they follow TEST_EVENTS)`,
      ],
      bridge: [
        bundle
          ? `APPLE_BUNDLE_ID is set here (${bundle})`
          : `APPLE_BUNDLE_ID is not set here: set it to the app's bundle ID (e.g. com.example.app)${tenant ? ` or in TENANTS_FILE providers.apple.secret of tenant "${tenant}"` : ''}; without it the route answers 503`,
        isSet(ctx, 'APPLE_APP_APPLE_ID')
          ? 'APPLE_APP_APPLE_ID is set here'
          : "APPLE_APP_APPLE_ID is not set here: set it to the app's Apple ID (digits, App Information) before Production notifications arrive",
        isSet(ctx, 'APPLE_ROOT_CERTS')
          ? 'APPLE_ROOT_CERTS is set here: only those roots are trusted (Apple Root CA - G3 is not, unless listed)'
          : 'trusted root: Apple Root CA - G3 (shipped with the bridge)',
      ],
      check:
        'a sandbox purchase, or the App Store Server API\'s "Request a Test Notification" (POST /inApps/v1/notifications/test), sends a TEST notification: recorded as ignored, answered 200',
    };
  },
  unregister: (url) => `App Store Connect > your app > App Information > App Store Server Notifications: clear the Production and Sandbox URLs that are ${url}`,
};
