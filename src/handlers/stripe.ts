import type { Context } from 'hono';
import { BridgeError } from '../errors.js';
import { ingestStripe } from '../pipeline/ingest.js';
import type { TenantRoute } from '../tenants/route.js';
import type { StripeRouter } from '../tenants/stripe-router.js';
import type { VerifyResult } from '../verify/result.js';
import { ack } from './respond.js';
import { reportWebhook } from './report.js';
import type { WebhookDeps } from './webhook-deps.js';

const decoder = new TextDecoder();

type VerifyAndRoute = (rawBody: string, header: string | null) => Promise<{ json: unknown; route: TenantRoute }>;

function verified<T>(result: VerifyResult<T>): T {
  if (!result.ok) throw new BridgeError(result.reason, result.message);
  return result.value;
}

/**
 * Chosen before the body is read, so a missing secret or an unknown tenant costs nothing. The
 * path names the tenant; otherwise `event.account` (Connect) does, once the signature verified.
 */
function verifierFor(c: Context, router: StripeRouter): VerifyAndRoute {
  const tenant = c.req.param('tenant');
  if (tenant !== undefined) {
    const route = router.forPath(tenant);
    return async (rawBody, header) => ({ json: verified(await route.verify(rawBody, header)), route });
  }
  const verify = router.forShared();
  return async (rawBody, header) => {
    const { event, secret } = verified(await verify(rawBody, header));
    const account = (event as { account?: unknown }).account;
    return { json: event, route: router.forEvent(typeof account === 'string' ? account : undefined, secret) };
  };
}

/**
 * `POST /webhooks/stripe` and `POST /webhooks/stripe/:tenant`: verify the signature over the raw
 * body, pick the tenant, then validate, map and record the event in one transaction, then
 * acknowledge. Delivery to Dub happens after the ack.
 */
export function stripeWebhook(router: StripeRouter, deps: WebhookDeps) {
  return async (c: Context) => {
    const started = deps.now();
    const verifyAndRoute = verifierFor(c, router);
    const rawBody = decoder.decode(await deps.readBody(c));
    if (!rawBody) throw new BridgeError('invalid_payload', 'empty body');
    const { json, route } = await verifyAndRoute(rawBody, c.req.header('stripe-signature') ?? null);
    const result = await ingestStripe(json, rawBody, deps, route);
    const event = json as { type?: string; id?: string };
    reportWebhook(c, deps, { source: 'stripe', type: event.type ?? 'unknown', eventId: event.id, tenant: route.tenant }, result, started);
    deps.afterAck(c, result);
    return ack(c, result);
  };
}
