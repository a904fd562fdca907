import type { CliContext, CommandModule } from '../context.js';
import { CliError } from '../errors.js';
import type { Output } from '../output.js';
import { SHOPIFY_API_VERSION_NAME } from '../shopify-version.js';
import { webhookUrl } from '../webhook-url.js';
import { providerError } from './provider-errors.js';
import { publicUrl } from './parse.js';
import { addApiRegister, apiRegistrars } from './register-api.js';
import { addManualRegister, manualProviders } from './register-manual.js';
import { shopifyAdminFrom, shopifyOptions, stripeFrom, stripeOptions, type ShopifyOptions, type StripeOptions } from './provider-options.js';

/**
 * `dub-bridge register <provider>`: points the provider's webhooks at the bridge. Stripe and
 * Shopify through their SDKs, Paddle, Polar and Lemon Squeezy through their REST APIs
 * (register-api.ts), RevenueCat and the App Store as printed steps (register-manual.ts); a test
 * checks that every provider in the registry has one of these.
 */
export const registerCommand: CommandModule = (program, ctx) => {
  const register = program.command('register').description("create (or update) the providers' webhook registrations for the bridge, or print the steps where there is no API");
  stripeOptions(
    register
      .command('stripe')
      .description('create or update the Stripe webhook endpoint for exactly the event types the bridge handles; prints the signing secret once'),
  ).action(async (options: StripeOptions) => ctx.setExitCode(await registerStripe(options, ctx)));
  shopifyOptions(
    register
      .command('shopify')
      .description('subscribe the shop to the topics the bridge handles (Admin GraphQL API); prints how to add the compliance topics'),
  )
    .option('--move-from <old public url>', 'repoint the subscriptions of this earlier bridge URL to --url (without it, topics going to another bridge stop the run)', publicUrl)
    .action(async (options: ShopifyOptions) => ctx.setExitCode(await registerShopify(options, ctx)));
  for (const registrar of apiRegistrars) addApiRegister(register, registrar, ctx);
  for (const provider of manualProviders) addManualRegister(register, provider, ctx);
};

async function registerStripe(options: StripeOptions, ctx: CliContext): Promise<number> {
  const stripe = await stripeFrom(options, ctx);
  const { registerStripeEndpoint } = await import('../stripe-endpoints.js');
  const { handledStripeEventTypes } = await import('../../mappers/stripe/index.js');
  const url = webhookUrl(options.url, 'stripe', options.tenant);
  const result = await registerStripeEndpoint(stripe, url, handledStripeEventTypes).catch(providerError('Stripe'));
  const { endpoint } = result;
  if (options.json) {
    ctx.out.json({ action: result.action, id: endpoint.id, url, livemode: endpoint.livemode, events: endpoint.enabled_events, secret: result.action === 'created' ? result.secret : null });
    return 0;
  }
  const { out } = ctx;
  const mode = endpoint.livemode ? 'live mode' : 'test mode';
  out.line(`${result.action} Stripe webhook endpoint ${endpoint.id} (${mode}) -> ${url}`);
  out.line(`events: ${endpoint.enabled_events.join(', ')}`);
  out.line('');
  if (result.action === 'created') {
    out.line(`signing secret (Stripe shows it only now; store it before you close this terminal):`);
    out.line(`  ${out.style('bold', result.secret)}`);
    if (options.tenant) out.line(`put it in TENANTS_FILE as stripe.webhookSecret of tenant "${options.tenant}", then restart the bridge`);
    else out.line(`set it where the bridge runs: STRIPE_WEBHOOK_SECRET=${result.secret}`);
    out.line('(while Stripe rolls a secret over, list both, comma-separated)');
  } else {
    out.line('Stripe returns the signing secret only when an endpoint is created, so none is shown for an existing one.');
    out.line('Keep the secret you have; if it is lost, reveal or roll it in the Stripe Dashboard (Developers > Webhooks > this endpoint).');
  }
  return 0;
}

async function registerShopify(options: ShopifyOptions, ctx: CliContext): Promise<number> {
  const admin = await shopifyAdminFrom(options, ctx);
  const { registerShopifySubscriptions, SubscriptionConflictError } = await import('../shopify-webhooks.js');
  const { handledShopifyTopics, complianceTopics } = await import('../../mappers/shopify/index.js');
  const url = webhookUrl(options.url, 'shopify');
  const moveFrom = options.moveFrom ? webhookUrl(options.moveFrom, 'shopify') : undefined;
  const results = await registerShopifySubscriptions(admin, url, handledShopifyTopics, moveFrom).catch((error: unknown) => {
    if (!(error instanceof SubscriptionConflictError)) return providerError('Shopify')(error);
    const lines = error.conflicts.map((c) => `  ${c.topic.padEnd(18)} ${c.id} -> ${c.callbackUrl}`);
    throw new CliError(
      `nothing changed: these topics already go to another dub-bridge URL on ${options.shop}:\n${lines.join('\n')}\n` +
        'if the bridge moved, run again with --move-from <that URL>; if another bridge still uses them, leave them (or "dub-bridge unregister shopify --url <that URL>")',
    );
  });
  if (options.json) {
    ctx.out.json({ shop: options.shop, url, subscriptions: results, complianceTopics });
    return 0;
  }
  const { out } = ctx;
  out.line(`Shopify webhook subscriptions on ${options.shop} -> ${url}:`);
  for (const r of results) out.line(`  ${r.action.padEnd(9)} ${r.topic.padEnd(18)} ${r.id}`);
  out.line('');
  out.line("Shopify signs them with the app's client secret: set SHOPIFY_API_SECRET to it where the bridge runs.");
  out.line('');
  printComplianceGuidance(out, url, complianceTopics);
  return 0;
}

/** Compliance topics cannot be subscribed through the Admin API; they live in the app config. */
function printComplianceGuidance(out: Output, url: string, complianceTopics: readonly string[]) {
  out.line(`Compliance topics (${complianceTopics.join(', ')}) cannot be subscribed through the API.`);
  out.line('Declare them in your app configuration, shopify.app.toml, and deploy it with `shopify app deploy`:');
  out.line('');
  out.line('  [webhooks]');
  out.line(`  api_version = "${SHOPIFY_API_VERSION_NAME}"`);
  out.line('');
  out.line('  [[webhooks.subscriptions]]');
  out.line(`  compliance_topics = [${complianceTopics.map((t) => `"${t}"`).join(', ')}]`);
  out.line(`  uri = "${url}"`);
  out.line('');
  out.line('(An app managed in the Partner Dashboard instead sets the same URL under its Compliance webhooks.)');
}
