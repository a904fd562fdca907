import type { Config } from '../config.js';
import { BridgeError } from '../errors.js';
import { createShopifyVerifier, type ShopifyVerifier } from '../verify/shopify.js';
import { routeOf, tenantsOf, type TenantRoute } from './route.js';

export interface ShopifyRoute extends TenantRoute {
  verify: ShopifyVerifier;
}

/**
 * Chooses a Shopify webhook's tenant by `X-Shopify-Shop-Domain` before its HMAC is checked, so
 * the HMAC is verified with that tenant's secret(s). A tenant without its own `apiSecret` uses
 * SHOPIFY_API_SECRET (one app installed in several shops signs all of them with one secret).
 * A shop no tenant lists falls back to the env settings, or is refused when there are none.
 */
export function createShopifyRouter(config: Config) {
  const envVerify = config.SHOPIFY_API_SECRET.length ? createShopifyVerifier(config.SHOPIFY_API_SECRET) : null;
  const fallback: ShopifyRoute | null = envVerify ? { ...routeOf(null, config), verify: envVerify } : null;
  const byShop = new Map<string, ShopifyRoute>();
  for (const tenant of tenantsOf(config)) {
    if (!tenant.shopify) continue;
    // parseConfig refuses a tenant that has neither its own secret nor SHOPIFY_API_SECRET.
    const verify = tenant.shopify.apiSecret ? createShopifyVerifier(tenant.shopify.apiSecret) : envVerify!;
    for (const shop of tenant.shopify.shops) byShop.set(shop, { ...routeOf(tenant, config), verify });
  }

  /** `shop` is the lowercased header, or null when it is missing. Throws a BridgeError to refuse. */
  return function routeShopify(shop: string | null): ShopifyRoute {
    const route = (shop && byShop.get(shop)) || fallback;
    if (route) return route;
    if (byShop.size === 0) {
      throw new BridgeError('source_not_configured', 'Shopify webhooks are not configured: set SHOPIFY_API_SECRET (the app client secret, comma-separated during rotation)');
    }
    if (!shop) throw new BridgeError('missing_header', 'missing X-Shopify-Shop-Domain header');
    throw new BridgeError('unknown_tenant', `no tenant in TENANTS_FILE lists shop ${shop} (and SHOPIFY_API_SECRET is not set)`);
  };
}

export type ShopifyRouter = ReturnType<typeof createShopifyRouter>;
