import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { BridgeError, errorStatus, type ErrorCode } from './errors.js';
import type { Config } from './config.js';
import type { Store } from './db/store.js';
import { stripeWebhook } from './handlers/stripe.js';
import { shopifyWebhook } from './handlers/shopify.js';
import { healthRoutes } from './handlers/health.js';
import type { WebhookDeps } from './handlers/webhook-deps.js';
import type { DispatcherStatus } from './pipeline/dispatcher.js';
import { createShopifyVerifier } from './verify/shopify.js';
import { createStripeVerifier } from './verify/stripe.js';

export interface AppDeps extends WebhookDeps {
  config: Config;
  store: Store;
  dispatcherStatus: () => DispatcherStatus;
}

function errorBody(c: Context, code: ErrorCode, message: string) {
  return c.json({ error: { code, message, requestId: c.get('requestId') } }, errorStatus[code]);
}

/** Builds the HTTP app for any runtime from injected dependencies (tests pass their own). */
export function createApp(deps: AppDeps) {
  const app = new Hono();
  const { config } = deps;
  const stripe = config.STRIPE_WEBHOOK_SECRET.length
    ? createStripeVerifier({ secrets: config.STRIPE_WEBHOOK_SECRET, now: deps.now })
    : null;
  const shopify = config.SHOPIFY_API_SECRET.length ? createShopifyVerifier(config.SHOPIFY_API_SECRET) : null;

  app.use(requestId());
  const limit = bodyLimit({
    maxSize: config.MAX_BODY_BYTES,
    onError: () => {
      throw new BridgeError('payload_too_large', `body exceeds ${config.MAX_BODY_BYTES} bytes (MAX_BODY_BYTES)`);
    },
  });
  app.post('/webhooks/stripe', limit, stripeWebhook(stripe, deps));
  app.post('/webhooks/shopify', limit, shopifyWebhook(shopify, deps));
  app.route('/', healthRoutes(deps));

  app.notFound((c) => errorBody(c, 'not_found', `no route for ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => {
    if (error instanceof BridgeError) {
      if (error.status >= 500) deps.logger.error({ code: error.code, path: c.req.path }, error.message);
      else deps.logger.warn({ code: error.code, path: c.req.path, requestId: c.get('requestId') }, error.message);
      return errorBody(c, error.code, error.message);
    }
    deps.logger.error({ path: c.req.path, error: error.message, requestId: c.get('requestId') }, 'unhandled error');
    // Nothing was acknowledged: the provider retries, and the inbox makes the retry safe.
    return errorBody(c, 'internal_error', 'internal error; the provider will retry');
  });
  return app;
}
