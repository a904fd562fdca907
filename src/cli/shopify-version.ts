/**
 * The Shopify Admin API version the CLI registers webhooks with, also the `api_version` it
 * suggests for shopify.app.toml (the version the bridge's mappers are written against).
 */
export const SHOPIFY_API_VERSION_NAME = '2025-07';
