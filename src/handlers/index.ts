import type { ProviderDefinition } from './provider.js';
import apple from './apple/index.js';
import lemonsqueezy from './lemonsqueezy/index.js';
import paddle from './paddle/index.js';
import polar from './polar/index.js';
import revenuecat from './revenuecat/index.js';
import shopify from './shopify/index.js';
import stripe from './stripe/index.js';

/**
 * The provider registry: one line per payment processor. Routes, config variables, tenants,
 * metrics and the CLI's choices all come from this list.
 */
export const providers = [stripe, shopify, paddle, polar, lemonsqueezy, revenuecat, apple] as const satisfies readonly ProviderDefinition[];

/** A registered provider's name (`stripe`, `paddle`, …). */
export type Source = (typeof providers)[number]['source'];

/** The registered provider named `source`, if any. */
export function providerNamed(source: string, list: readonly ProviderDefinition[] = providers): ProviderDefinition | undefined {
  return list.find((p) => p.source === source);
}
