import { randomBytes } from 'node:crypto';
import { isSet, type ManualProvider } from '../../cli/commands/register-manual.js';

/**
 * RevenueCat webhooks are set up in its dashboard (no API call): `register revenuecat` prints the
 * steps with the bridge's URL and an Authorization value to enter on both sides.
 */
export const revenuecatSetup: ManualProvider = {
  source: 'revenuecat',
  label: 'RevenueCat',
  register(url, ctx, tenant, events) {
    const configured = isSet(ctx, 'REVENUECAT_WEBHOOK_AUTH');
    // RevenueCat sends the value verbatim and signs nothing: it must be long and random.
    const suggestion = `Bearer ${randomBytes(32).toString('base64url')}`;
    const where = tenant ? `TENANTS_FILE providers.revenuecat.secret of tenant "${tenant}"` : 'REVENUECAT_WEBHOOK_AUTH';
    return {
      why: 'RevenueCat webhooks are set up in its dashboard; the bridge needs no RevenueCat API key.',
      steps: [
        'RevenueCat > your project > Integrations > Webhooks > + New webhook',
        `Webhook URL: ${url}`,
        configured && !tenant
          ? 'Authorization header value: exactly the value of REVENUECAT_WEBHOOK_AUTH here (RevenueCat sends it verbatim; the bridge refuses requests without it)'
          : `Authorization header value: ${suggestion}   (a new random value; put the same text in ${where})`,
        'Environment: Production, and Sandbox too if you test with sandbox purchases (they follow TEST_EVENTS)',
        `Events: all, or at least ${events.join(', ')}`,
      ],
      bridge: [
        configured
          ? 'REVENUECAT_WEBHOOK_AUTH is set here'
          : `REVENUECAT_WEBHOOK_AUTH is not set here: set ${tenant ? where : `REVENUECAT_WEBHOOK_AUTH="${suggestion}"`} where the bridge runs (the value of step 3), then restart it`,
        'REVENUECAT_IGNORE_STORES (default PROMOTIONAL,TEST_STORE): add STRIPE or PADDLE when those payments are also bridged directly',
      ],
      check: `RevenueCat's "Send test event" arrives as TEST (recorded as ignored, answered 200); dub-bridge trigger revenuecat sends a signed INITIAL_PURCHASE to a running bridge`,
    };
  },
  unregister: (url) => `RevenueCat > your project > Integrations > Webhooks: delete the webhook whose URL is ${url}`,
};
