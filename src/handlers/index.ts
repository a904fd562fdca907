import type { ProviderDefinition } from './provider.js';
import stripe from './stripe/index.js';
import shopify from './shopify/index.js';

/**
 * The provider registry: one line per payment processor. Routes, config variables, tenants,
 * metrics and the CLI's choices all come from this list.
 */
export const providers = [stripe, shopify] as const satisfies readonly ProviderDefinition[];

/** A registered provider's name (`stripe`, `paddle`, …). */
export type Source = (typeof providers)[number]['source'];

/** The registered provider named `source`, if any (own keys only: `constructor` finds nothing). */
export function providerNamed(source: string, list: readonly ProviderDefinition[] = providers): ProviderDefinition | undefined {
  return list.find((p) => p.source === source);
}
