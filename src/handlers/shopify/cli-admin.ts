import '@shopify/shopify-api/adapters/node';
import { type ApiVersion, GraphqlQueryError, HttpResponseError, LogSeverity, Session, shopifyApi } from '@shopify/shopify-api';
import { abstractFetch, setAbstractFetchFunc } from '@shopify/shopify-api/runtime';
import { SHOPIFY_API_VERSION_NAME } from './cli-options.js';

/** One GraphQL call against a shop's Admin API; errors become one readable Error. */
export type AdminGraphql = <T>(query: string, variables?: Record<string, unknown>) => Promise<T>;

export interface ShopifyAdminOptions {
  shop: string;
  accessToken: string;
  /** The bridge's public host (shopify-api wants the app's host even for plain Admin calls). */
  appHost: string;
  /**
   * Where to send Admin API calls instead of `https://<shop>` (a local stand-in in tests). The
   * library always builds `https://<shop>/admin/api/<version>/graphql.json` and has no per-client
   * fetch option, so this replaces its adapter's fetch with one that rewrites that origin.
   */
  adminBase?: string;
}

/**
 * A GraphQL caller for one shop through `@shopify/shopify-api`, authenticated with an Admin API
 * access token (a custom app's, or an installed app's offline token).
 */
export function createShopifyAdmin(options: ShopifyAdminOptions): AdminGraphql {
  const shopify = shopifyApi({
    // Only OAuth and webhook validation use the app's key and secret; Admin calls use the token.
    apiKey: 'dub-bridge-cli',
    apiSecretKey: 'unused-by-admin-api-calls',
    hostName: options.appHost,
    apiVersion: SHOPIFY_API_VERSION_NAME as ApiVersion,
    isEmbeddedApp: false,
    logger: { level: LogSeverity.Error, log: (_severity, message) => void process.stderr.write(`shopify-api: ${message}\n`) },
  });
  if (options.adminBase) {
    const shopOrigin = `https://${options.shop}`;
    const base = options.adminBase.replace(/\/+$/, '');
    const fetchShop = abstractFetch;
    setAbstractFetchFunc((input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      return fetchShop(url.startsWith(shopOrigin) ? `${base}${url.slice(shopOrigin.length)}` : input, init);
    });
  }
  const session = new Session({ id: `offline_${options.shop}`, shop: options.shop, state: '', isOnline: false, accessToken: options.accessToken });
  const client = new shopify.clients.Graphql({ session });
  return async <T>(query: string, variables?: Record<string, unknown>) => {
    try {
      const response = await client.request<T>(query, variables ? { variables } : {});
      return response.data as T;
    } catch (error) {
      throw new Error(describeShopifyError(error, options.shop));
    }
  };
}

function describeShopifyError(error: unknown, shop: string): string {
  if (error instanceof HttpResponseError) {
    const { code, statusText } = error.response;
    if (code === 401 || code === 403) {
      return `Shopify refused the access token for ${shop} (${code} ${statusText}); it needs an Admin API access token with webhook access to the handled topics (read_orders, read_customers)`;
    }
    return `Shopify Admin API answered ${code} ${statusText}: ${error.message}`;
  }
  if (error instanceof GraphqlQueryError) return `Shopify Admin API error: ${error.message}`;
  return `cannot reach the Shopify Admin API for ${shop}: ${(error as Error).message}`;
}
