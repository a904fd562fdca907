import { type Command, Option } from 'commander';
import type Stripe from 'stripe';
import type { CliContext } from '../context.js';
import { configError, usageError } from '../errors.js';
import type { AdminGraphql } from '../shopify-admin.js';
import { publicUrl, shopDomain, tenantId } from './parse.js';

/**
 * Options `register` and `unregister` share. Keys and tokens come from the environment or
 * standard input, never from flags: a flag's value stays in shell history and is visible to every
 * user of the host in `ps`.
 */
export interface StripeOptions {
  url: URL;
  tenant?: string;
  apiKeyStdin?: boolean;
  /** Refused (hidden): only here to explain where the key goes instead. */
  apiKey?: string;
  stripeApiBase?: string;
  json?: boolean;
}

export interface ShopifyOptions {
  url: URL;
  shop: string;
  accessTokenStdin?: boolean;
  /** Refused (hidden), as --api-key. */
  accessToken?: string;
  shopifyAdminBase?: string;
  /** `register shopify` only: the old bridge URL whose subscriptions may be repointed. */
  moveFrom?: URL;
  json?: boolean;
}

export function stripeOptions(command: Command): Command {
  return command
    .requiredOption('--url <public url>', "the bridge's public URL (https://bridge.example.com; /webhooks/stripe is added)", publicUrl)
    .option('--tenant <id>', "a tenant's own endpoint, /webhooks/stripe/<id> (TENANTS_FILE)", tenantId)
    .option('--api-key-stdin', 'read the Stripe key from standard input instead of STRIPE_API_KEY')
    .addOption(new Option('--api-key <key>').hideHelp())
    .option('--stripe-api-base <url>', 'Stripe API base URL (default: env STRIPE_API_BASE, else https://api.stripe.com)')
    .option('--json', 'print JSON (for scripts)');
}

export function shopifyOptions(command: Command): Command {
  return command
    .requiredOption('--url <public url>', "the bridge's public URL (https://bridge.example.com; /webhooks/shopify is added)", publicUrl)
    .requiredOption('--shop <shop>', 'the shop domain, e.g. my-store.myshopify.com', shopDomain)
    .option('--access-token-stdin', 'read the Admin API access token from standard input instead of SHOPIFY_ADMIN_ACCESS_TOKEN')
    .addOption(new Option('--access-token <token>').hideHelp())
    .option('--shopify-admin-base <url>', 'send Admin API calls here instead of https://<shop> (default: env SHOPIFY_ADMIN_BASE)')
    .option('--json', 'print JSON (for scripts)');
}

/** A secret from standard input (its first line) or the environment variable; a flag carrying it is refused (exit 2). */
export async function secretFrom(ctx: CliContext, source: { flag?: string | undefined; stdin?: boolean | undefined; variable: string; stdinFlag: string; flagName: string }) {
  if (source.flag !== undefined) {
    throw usageError(`${source.flagName} is not accepted: a secret on the command line stays in shell history and shows in ps; set ${source.variable}, or pipe it in with ${source.stdinFlag}`);
  }
  if (!source.stdin) return ctx.env[source.variable]?.trim() || undefined;
  const value = (await ctx.readStdin()).split(/\r?\n/)[0]?.trim();
  if (!value) throw usageError(`${source.stdinFlag}: standard input is empty; pipe the secret in, e.g. from your password manager`);
  return value;
}

/**
 * The Stripe client from the environment or standard input; no key is a configuration problem
 * (exit 78). The provider SDKs load only for the commands that use them, keeping the others quick.
 */
export async function stripeFrom(options: StripeOptions, ctx: CliContext): Promise<Stripe> {
  const apiKey = await secretFrom(ctx, { flag: options.apiKey, stdin: options.apiKeyStdin, variable: 'STRIPE_API_KEY', stdinFlag: '--api-key-stdin', flagName: '--api-key' });
  if (!apiKey) throw configError('STRIPE_API_KEY: set it (or pipe the key in with --api-key-stdin) to a Stripe secret key that may manage webhook endpoints');
  const { createStripeClient } = await import('../stripe-endpoints.js');
  return createStripeClient(apiKey, options.stripeApiBase ?? ctx.env.STRIPE_API_BASE);
}

/** The Admin GraphQL caller for the shop, with a token from the environment or standard input. */
export async function shopifyAdminFrom(options: ShopifyOptions, ctx: CliContext): Promise<AdminGraphql> {
  const accessToken = await secretFrom(ctx, {
    flag: options.accessToken,
    stdin: options.accessTokenStdin,
    variable: 'SHOPIFY_ADMIN_ACCESS_TOKEN',
    stdinFlag: '--access-token-stdin',
    flagName: '--access-token',
  });
  if (!accessToken) {
    throw configError(
      'SHOPIFY_ADMIN_ACCESS_TOKEN: set it (or pipe the token in with --access-token-stdin) to an Admin API access token of the app whose secret is SHOPIFY_API_SECRET',
    );
  }
  const { createShopifyAdmin } = await import('../shopify-admin.js');
  const adminBase = options.shopifyAdminBase ?? ctx.env.SHOPIFY_ADMIN_BASE;
  return createShopifyAdmin({ shop: options.shop, accessToken, appHost: options.url.host, ...(adminBase ? { adminBase } : {}) });
}
