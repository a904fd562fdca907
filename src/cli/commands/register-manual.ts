import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { webhookUrl } from '../webhook-url.js';
import { publicUrl, tenantId } from './parse.js';

/**
 * `register` / `unregister` for providers whose webhook URL is set by hand (RevenueCat's dashboard,
 * App Store Connect): the exact steps with the bridge's URL and the values to enter.
 */
interface ManualOptions {
  url: URL;
  tenant?: string;
  json?: boolean;
}

interface Steps {
  /** One line saying why there is no API call. */
  why: string;
  steps: string[];
  /** What the bridge needs, with whether this environment has it. */
  bridge: string[];
  check: string;
}

interface ManualProvider {
  source: string;
  label: string;
  register(url: string, ctx: CliContext, tenant: string | undefined, events: readonly string[]): Steps;
  unregister(url: string): string;
}

const isSet = (ctx: CliContext, variable: string) => Boolean(ctx.env[variable]?.trim());

const revenuecat: ManualProvider = {
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

const apple: ManualProvider = {
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
        bundle ? `APPLE_BUNDLE_ID is set here (${bundle})` : `APPLE_BUNDLE_ID is not set here: set it to the app's bundle ID (e.g. com.example.app)${tenant ? ` or in TENANTS_FILE providers.apple.secret of tenant "${tenant}"` : ''}; without it the route answers 503`,
        isSet(ctx, 'APPLE_APP_APPLE_ID') ? 'APPLE_APP_APPLE_ID is set here' : "APPLE_APP_APPLE_ID is not set here: set it to the app's Apple ID (digits, App Information) before Production notifications arrive",
        isSet(ctx, 'APPLE_ROOT_CERTS') ? 'APPLE_ROOT_CERTS is set here: only those roots are trusted (Apple Root CA - G3 is not, unless listed)' : 'trusted root: Apple Root CA - G3 (shipped with the bridge)',
      ],
      check: 'a sandbox purchase, or the App Store Server API\'s "Request a Test Notification" (POST /inApps/v1/notifications/test), sends a TEST notification: recorded as ignored, answered 200',
    };
  },
  unregister: (url) => `App Store Connect > your app > App Information > App Store Server Notifications: clear the Production and Sandbox URLs that are ${url}`,
};

/** The providers `register` prints steps for, by registry name. */
export const manualProviders: readonly ManualProvider[] = [revenuecat, apple];

function manualOptions(command: Command, p: ManualProvider): Command {
  return command
    .requiredOption('--url <public url>', `the bridge's public URL (https://bridge.example.com; /webhooks/${p.source} is added)`, publicUrl)
    .option('--tenant <id>', `a tenant's own route, /webhooks/${p.source}/<id> (TENANTS_FILE)`, tenantId)
    .option('--json', 'print JSON (for scripts)');
}

/** `register revenuecat|apple`: prints where to enter the URL and which values go with it. */
export function addManualRegister(register: Command, p: ManualProvider, ctx: CliContext) {
  manualOptions(register.command(p.source).description(`print the steps that point ${p.label} at the bridge (set by hand; no API)`), p).action(async (options: ManualOptions) => {
    const { providerNamed } = await import('../../handlers/index.js');
    const url = webhookUrl(options.url, p.source, options.tenant);
    const steps = p.register(url, ctx, options.tenant, providerNamed(p.source)!.handledEventTypes);
    if (options.json) {
      ctx.out.json({ provider: p.source, manual: true, url, ...steps });
    } else {
      const { out } = ctx;
      out.line(steps.why);
      out.line('');
      steps.steps.forEach((step, i) => out.line(`${i + 1}. ${step}`));
      out.line('');
      out.line('The bridge:');
      for (const line of steps.bridge) out.line(`  - ${line}`);
      out.line('');
      out.line(`Check: ${steps.check}`);
    }
    ctx.setExitCode(0);
  });
}

/** `unregister revenuecat|apple`: where to remove the URL by hand. */
export function addManualUnregister(unregister: Command, p: ManualProvider, ctx: CliContext) {
  manualOptions(unregister.command(p.source).description(`print where to remove the bridge URL from ${p.label} (set by hand; no API)`), p).action((options: ManualOptions) => {
    const url = webhookUrl(options.url, p.source, options.tenant);
    const step = p.unregister(url);
    if (options.json) ctx.out.json({ provider: p.source, manual: true, url, steps: [step] });
    else ctx.out.line(step);
    ctx.setExitCode(0);
  });
}
