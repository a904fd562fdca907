import { Hono, type Context } from 'hono';
import { requestId } from 'hono/request-id';
import { createConsole, type ConsoleDeps } from './console/index.js';
import { BridgeError, errorStatus, type ErrorCode } from './errors.js';
import type { Config } from './config.js';
import { truncateForLog } from './log-redact.js';
import type { Store } from './db/store.js';
import { providers as registry } from './handlers/index.js';
import { healthRoutes, type DeliveryMode } from './handlers/health.js';
import type { ProviderDefinition } from './handlers/provider.js';
import { providerWebhook } from './handlers/webhook.js';
import type { WebhookDeps } from './handlers/webhook-deps.js';
import type { DispatcherStatus } from './deliver/dispatcher.js';
import { createProviderRouter } from './tenants/router.js';

export interface AppDeps extends WebhookDeps {
  config: Config;
  store: Store;
  dispatcherStatus: () => DispatcherStatus;
  /** The payment processors served; the registry when absent (tests add their own). */
  providers?: readonly ProviderDefinition[];
  /** Whether Dub calls are live, recorded as a dry run, or waiting for a key (`/healthz`). */
  deliveryMode?: () => DeliveryMode;
  /** The console's own parts; with CONSOLE_TOKEN set the console is served at /console. */
  console?: Pick<ConsoleDeps, 'queries' | 'replay' | 'deliveryMode'> | undefined;
}

/** Tenant ids as TENANTS_FILE allows them; anything else is not a route. */
const TENANT = '[a-z0-9][a-z0-9_-]{0,62}';

function errorBody(c: Context, code: ErrorCode, message: string) {
  return c.json({ error: { code, message, requestId: c.get('requestId') } }, errorStatus[code]);
}

/** Builds the HTTP app for any runtime from injected dependencies (tests pass their own). */
export function createApp(deps: AppDeps) {
  const app = new Hono({ strict: false });
  const list = deps.providers ?? registry;
  const known = new Set(list.map((p) => p.source));
  /** Which provider a webhook route serves (for the rejected counter); null for other routes. */
  const webhookSource = (path: string) => {
    const source = /^\/webhooks\/([^/]+)/.exec(path)?.[1];
    return source && known.has(source) ? source : null;
  };

  // Request ids are always ours (a client's X-Request-Id is never trusted into logs); the answer
  // carries it so a provider's delivery log can be matched to ours.
  app.use(requestId({ headerName: '', generator: () => crypto.randomUUID() }));
  app.use(async (c, next) => {
    c.header('X-Request-Id', c.get('requestId'));
    await next();
  });
  for (const provider of list) {
    const router = createProviderRouter(provider, deps.config, deps.now);
    const handler = providerWebhook(provider, router, deps);
    // Each handler reads its body through deps.readBody, which enforces MAX_BODY_BYTES (413).
    app.post(`/webhooks/${provider.source}`, handler);
    app.post(`/webhooks/${provider.source}/:tenant{${TENANT}}`, handler);
    app.on(['GET', 'PUT', 'PATCH', 'DELETE'], [`/webhooks/${provider.source}`, `/webhooks/${provider.source}/:tenant{${TENANT}}`], (c) =>
      c.json({ error: { code: 'method_not_allowed', message: `use POST: this is ${provider.label}'s webhook endpoint`, requestId: c.get('requestId') } }, 405, {
        allow: 'POST',
      }),
    );
  }
  app.route('/', healthRoutes(deps));
  if (deps.config.CONSOLE_TOKEN && deps.console) {
    const { config, store, now, dispatcherStatus } = deps;
    app.route('/console', createConsole({ ...deps.console, config, store, now, dispatcherStatus }));
  }

  app.notFound((c) => errorBody(c, 'not_found', `no route for ${c.req.method} ${truncateForLog(c.req.path)}`));
  // The one place refusals are counted: every reason (413 body limit, 400 schema, 401 signature,
  // 404 unknown tenant, 5xx) passes here exactly once, so the handlers do not count them.
  app.onError((error, c) => {
    const source = webhookSource(c.req.path);
    const code: ErrorCode = error instanceof BridgeError ? error.code : 'internal_error';
    if (source) deps.metrics.rejected({ source, reason: code });
    const fields = { requestId: c.get('requestId'), ...(source ? { source } : {}), code, path: truncateForLog(c.req.path) };
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
