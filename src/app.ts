import { Hono, type Context } from 'hono';
import { requestId } from 'hono/request-id';
import { BridgeError, errorStatus, type ErrorCode } from './errors.js';
import type { Config } from './config.js';
import type { Store } from './db/store.js';
import { stripeWebhook } from './handlers/stripe.js';
import { shopifyWebhook } from './handlers/shopify.js';
import { healthRoutes } from './handlers/health.js';
import type { WebhookDeps } from './handlers/webhook-deps.js';
import type { DispatcherStatus } from './pipeline/dispatcher.js';
import { createShopifyRouter } from './tenants/shopify-router.js';
import { createStripeRouter } from './tenants/stripe-router.js';
import type { StripeCryptoProvider } from './verify/stripe.js';

export interface AppDeps extends WebhookDeps {
  config: Config;
  store: Store;
  dispatcherStatus: () => DispatcherStatus;
  /** Stripe's HMAC backend for this runtime (SubtleCrypto when absent). */
  stripeCrypto?: StripeCryptoProvider;
}

function errorBody(c: Context, code: ErrorCode, message: string) {
  return c.json({ error: { code, message, requestId: c.get('requestId') } }, errorStatus[code]);
}

/** Which provider a webhook route serves (for the rejected counter); null for other routes. */
function webhookSource(path: string): 'stripe' | 'shopify' | null {
  if (path === '/webhooks/shopify') return 'shopify';
  return path === '/webhooks/stripe' || path.startsWith('/webhooks/stripe/') ? 'stripe' : null;
}

/** Builds the HTTP app for any runtime from injected dependencies (tests pass their own). */
export function createApp(deps: AppDeps) {
  const app = new Hono();
  const { config } = deps;
  const stripe = createStripeRouter(config, { now: deps.now, cryptoProvider: deps.stripeCrypto });
  const shopify = createShopifyRouter(config);

  app.use(requestId());
  // Each handler reads its body through deps.readBody, which enforces MAX_BODY_BYTES (413).
  app.post('/webhooks/stripe', stripeWebhook(stripe, deps));
  app.post('/webhooks/stripe/:tenant', stripeWebhook(stripe, deps));
  app.post('/webhooks/shopify', shopifyWebhook(shopify, deps));
  app.route('/', healthRoutes(deps));

  app.notFound((c) => errorBody(c, 'not_found', `no route for ${c.req.method} ${c.req.path}`));
  // The one place refusals are counted: every reason (413 body limit, 400 schema, 401 signature,
  // 404 unknown tenant, 5xx) passes here exactly once, so the handlers do not count them.
  app.onError((error, c) => {
    const source = webhookSource(c.req.path);
    const code: ErrorCode = error instanceof BridgeError ? error.code : 'internal_error';
    if (source) deps.metrics.rejected({ source, reason: code });
    const fields = { requestId: c.get('requestId'), ...(source ? { source } : {}), code, path: c.req.path };
    if (error instanceof BridgeError) {
      if (error.status >= 500) deps.logger.error(fields, error.message);
      else deps.logger.warn(fields, error.message);
      return errorBody(c, error.code, error.message);
    }
    deps.logger.error({ ...fields, error: error.message }, 'unhandled error');
    // Nothing was acknowledged: the provider retries, and the inbox makes the retry safe.
    return errorBody(c, 'internal_error', 'internal error; the provider will retry');
  });
  return app;
}
