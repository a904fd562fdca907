import type { Context } from 'hono';
import { BridgeError } from '../errors.js';
import { ingestStripe } from '../pipeline/ingest.js';
import type { StripeVerifier } from '../verify/stripe.js';
import { ack } from './respond.js';
import type { WebhookDeps } from './webhook-deps.js';

/**
 * `POST /webhooks/stripe`: verify the signature over the raw body, then validate, map and record
 * the event in one transaction, then acknowledge. Delivery to Dub happens after the ack.
 */
export function stripeWebhook(verify: StripeVerifier | null, deps: WebhookDeps) {
  return async (c: Context) => {
    if (!verify) {
      throw new BridgeError('source_not_configured', 'Stripe webhooks are not configured: set STRIPE_WEBHOOK_SECRET (whsec_…, comma-separated during rotation)');
    }
    const started = deps.now();
    const rawBody = await c.req.text();
    if (!rawBody) throw new BridgeError('invalid_payload', 'empty body');
    const verified = await verify(rawBody, c.req.header('stripe-signature') ?? null);
    if (!verified.ok) {
      deps.metrics.rejected({ source: 'stripe', reason: verified.reason });
      throw new BridgeError(verified.reason, verified.message);
    }
    const result = await ingestStripe(verified.value, rawBody, deps);
    report(deps, result, started, (verified.value as { type?: string }).type ?? 'unknown', (verified.value as { id?: string }).id);
    deps.afterAck(c, result);
    return ack(c, result);
  };
}

function report(deps: WebhookDeps, result: Awaited<ReturnType<typeof ingestStripe>>, started: number, type: string, eventId?: string) {
  deps.metrics.received({ source: 'stripe', type });
  if (result.duplicate) deps.metrics.duplicate({ source: 'stripe' });
  else if (result.result.outcome === 'ignored') deps.metrics.ignored({ source: 'stripe', type });
  deps.metrics.ackLatency({ source: 'stripe' }, (deps.now() - started) / 1000);
  deps.logger.info(
    {
      source: 'stripe',
      eventId,
      type,
      duplicate: result.duplicate,
      ...(result.duplicate ? {} : { outcome: result.result.outcome, queued: result.queued }),
      ...(!result.duplicate && result.result.outcome === 'ignored' ? { reason: result.result.reason } : {}),
    },
    'webhook recorded',
  );
}
