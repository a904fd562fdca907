import type { Command } from 'commander';
import type Stripe from 'stripe';
import type { CliContext } from '../context.js';
import { configError } from '../errors.js';
import type { AdminGraphql } from '../shopify-admin.js';
import { publicUrl, shopDomain, tenantId } from './parse.js';

/** Options `register stripe` and `unregister stripe` share. */
export interface StripeOptions {
  url: URL;
  tenant?: string;
  apiKey?: string;
  stripeApiBase?: string;
  json?: boolean;
}

export interface ShopifyOptions {
  url: URL;
  shop: string;
  accessToken?: string;
  shopifyAdminBase?: string;
  json?: boolean;
}

export function stripeOptions(command: Command): Command {
  return command
    .requiredOption('--url <public url>', "the bridge's public URL (https://bridge.example.com; /webhooks/stripe is added)", publicUrl)
    .option('--tenant <id>', "a tenant's own endpoint, /webhooks/stripe/<id> (TENANTS_FILE)", tenantId)
    .option('--api-key <key>', 'Stripe secret or restricted key with webhook endpoint write access (default: env STRIPE_API_KEY)')
    .option('--stripe-api-base <url>', 'Stripe API base URL (default: env STRIPE_API_BASE, else https://api.stripe.com)')
    .option('--json', 'print JSON (for scripts)');
}

export function shopifyOptions(command: Command): Command {
  return command
    .requiredOption('--url <public url>', "the bridge's public URL (https://bridge.example.com; /webhooks/shopify is added)", publicUrl)
    .requiredOption('--shop <shop>', 'the shop domain, e.g. my-store.myshopify.com', shopDomain)
    .option('--access-token <token>', 'Admin API access token (default: env SHOPIFY_ADMIN_ACCESS_TOKEN)')
    .option('--shopify-admin-base <url>', 'send Admin API calls here instead of https://<shop> (default: env SHOPIFY_ADMIN_BASE)')
    .option('--json', 'print JSON (for scripts)');
}

/**
 * The Stripe client from flags or environment; no key is a configuration problem (exit 78). The
 * provider SDKs load only for the commands that use them, keeping the others quick to start.
 */
export async function stripeFrom(options: StripeOptions, ctx: CliContext): Promise<Stripe> {
  const apiKey = options.apiKey ?? ctx.env.STRIPE_API_KEY;
  if (!apiKey) throw configError('STRIPE_API_KEY: set it (or pass --api-key) to a Stripe secret key that may manage webhook endpoints');
  const { createStripeClient } = await import('../stripe-endpoints.js');
  return createStripeClient(apiKey, options.stripeApiBase ?? ctx.env.STRIPE_API_BASE);
}

/** The Admin GraphQL caller for the shop, from flags or environment. */
export async function shopifyAdminFrom(options: ShopifyOptions, ctx: CliContext): Promise<AdminGraphql> {
  const accessToken = options.accessToken ?? ctx.env.SHOPIFY_ADMIN_ACCESS_TOKEN;
  if (!accessToken) {
    throw configError('SHOPIFY_ADMIN_ACCESS_TOKEN: set it (or pass --access-token) to an Admin API access token of the app whose secret is SHOPIFY_API_SECRET');
  }
  const { createShopifyAdmin } = await import('../shopify-admin.js');
  const adminBase = options.shopifyAdminBase ?? ctx.env.SHOPIFY_ADMIN_BASE;
  return createShopifyAdmin({ shop: options.shop, accessToken, appHost: options.url.host, ...(adminBase ? { adminBase } : {}) });
}
