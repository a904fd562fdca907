import { publicUrl } from '../../cli/commands/parse.js';
import { providerError } from '../../cli/commands/provider-errors.js';
import type { CliAdapter } from '../../cli/adapter.js';
import type { CliContext } from '../../cli/context.js';
import { CliError } from '../../cli/errors.js';
import type { Output } from '../../cli/output.js';
import { webhookUrl } from '../../cli/webhook-url.js';
import { SHOPIFY_API_VERSION_NAME, shopifyAdminFrom, type ShopifyOptions, shopifyOptions } from './cli-options.js';
import { shopifyTrigger } from './cli-trigger.js';

/**
 * Shopify in the CLI: webhook subscriptions through the Admin GraphQL API (`@shopify/shopify-api`,
 * loaded only when a command runs), the compliance topics as printed app config, and
 * `trigger shopify orders/paid`.
 */
const shopifyCli: CliAdapter = {
  register: {
    description: 'subscribe the shop to the topics the bridge handles (Admin GraphQL API); prints how to add the compliance topics',
    options: (command) =>
      shopifyOptions(command).option(
        '--move-from <old public url>',
        'repoint the subscriptions of this earlier bridge URL to --url (without it, topics going to another bridge stop the run)',
        publicUrl,
      ),
    run: (options: ShopifyOptions, { ctx }) => registerShopify(options, ctx),
  },
  unregister: {
    description: "delete the shop's webhook subscriptions to the bridge URL",
    options: shopifyOptions,
    run: (options: ShopifyOptions, { ctx }) => unregisterShopify(options, ctx),
  },
  trigger: shopifyTrigger,
};

export default shopifyCli;

async function registerShopify(options: ShopifyOptions, ctx: CliContext): Promise<number> {
  const admin = await shopifyAdminFrom(options, ctx);
  const { registerShopifySubscriptions, SubscriptionConflictError } = await import('./cli-webhooks.js');
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

async function unregisterShopify(options: ShopifyOptions, ctx: CliContext): Promise<number> {
  const admin = await shopifyAdminFrom(options, ctx);
  const { unregisterShopifySubscriptions } = await import('./cli-webhooks.js');
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
