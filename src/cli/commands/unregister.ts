import type { CliContext, CommandModule } from '../context.js';
import { webhookUrl } from '../webhook-url.js';
import { providerError } from './provider-errors.js';
import { addApiUnregister, apiRegistrars } from './register-api.js';
import { addManualUnregister, manualProviders } from './register-manual.js';
import { shopifyAdminFrom, shopifyOptions, stripeFrom, stripeOptions, type ShopifyOptions, type StripeOptions } from './provider-options.js';

/** `dub-bridge unregister <provider>`: removes what `register` created for that URL (or says where, by hand). */
export const unregisterCommand: CommandModule = (program, ctx) => {
  const unregister = program.command('unregister').description('remove the webhook registrations that register created for a URL');
  stripeOptions(unregister.command('stripe').description('delete the Stripe webhook endpoint(s) at the bridge URL')).action(
    async (options: StripeOptions) => ctx.setExitCode(await unregisterStripe(options, ctx)),
  );
  shopifyOptions(unregister.command('shopify').description("delete the shop's webhook subscriptions to the bridge URL")).action(
    async (options: ShopifyOptions) => ctx.setExitCode(await unregisterShopify(options, ctx)),
  );
  for (const registrar of apiRegistrars) addApiUnregister(unregister, registrar, ctx);
  for (const provider of manualProviders) addManualUnregister(unregister, provider, ctx);
};

async function unregisterStripe(options: StripeOptions, ctx: CliContext): Promise<number> {
  const stripe = await stripeFrom(options, ctx);
  const { unregisterStripeEndpoint } = await import('../stripe-endpoints.js');
  const url = webhookUrl(options.url, 'stripe', options.tenant);
  const deleted = await unregisterStripeEndpoint(stripe, url).catch(providerError('Stripe'));
  if (options.json) ctx.out.json({ url, deleted });
  else if (deleted.length === 0) ctx.out.line(`no Stripe webhook endpoint at ${url}; nothing to remove`);
  else ctx.out.line(`deleted Stripe webhook endpoint ${deleted.join(', ')} -> ${url}`);
  return 0;
}

async function unregisterShopify(options: ShopifyOptions, ctx: CliContext): Promise<number> {
  const admin = await shopifyAdminFrom(options, ctx);
  const { unregisterShopifySubscriptions } = await import('../shopify-webhooks.js');
  const { handledShopifyTopics } = await import('../../mappers/shopify/index.js');
  const url = webhookUrl(options.url, 'shopify');
  const deleted = await unregisterShopifySubscriptions(admin, url, handledShopifyTopics).catch(providerError('Shopify'));
  if (options.json) {
    ctx.out.json({ shop: options.shop, url, deleted });
    return 0;
  }
  if (deleted.length === 0) ctx.out.line(`no webhook subscription on ${options.shop} points at ${url}; nothing to remove`);
  else ctx.out.line(`Shopify webhook subscriptions on ${options.shop} -> ${url}:`);
  for (const d of deleted) ctx.out.line(`  deleted   ${d.topic.padEnd(18)} ${d.id}`);
  ctx.out.line('Compliance topics in shopify.app.toml stay until you remove them there and deploy.');
  return 0;
}
