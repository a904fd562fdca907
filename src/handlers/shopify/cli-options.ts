import { type Command, InvalidArgumentError, Option } from 'commander';
import { publicUrl } from '../../cli/commands/parse.js';
import { secretFrom } from '../../cli/commands/provider-options.js';
import type { CliContext } from '../../cli/context.js';
import { configError } from '../../cli/errors.js';
import type { AdminGraphql } from './cli-admin.js';

/**
 * The Shopify Admin API version the CLI registers webhooks with, also the `api_version` it
 * suggests for shopify.app.toml (the version the bridge's mappers are written against).
 */
export const SHOPIFY_API_VERSION_NAME = '2025-07';

/** Options `register shopify` and `unregister shopify` share; the token never comes from a flag. */
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

/** `my-store.myshopify.com` (a leading https:// and trailing slash are dropped). */
export function shopDomain(value: string): string {
  const shop = value
    .trim()
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '')
    .toLowerCase();
  if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(shop)) throw new InvalidArgumentError('expected the shop domain, e.g. my-store.myshopify.com');
  return shop;
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
  const { createShopifyAdmin } = await import('./cli-admin.js');
  const adminBase = options.shopifyAdminBase ?? ctx.env.SHOPIFY_ADMIN_BASE;
  return createShopifyAdmin({ shop: options.shop, accessToken, appHost: options.url.host, ...(adminBase ? { adminBase } : {}) });
}
