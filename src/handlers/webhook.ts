import type { Context } from 'hono';
import { BridgeError } from '../errors.js';
import { receiveEvent } from '../ingest/receive.js';
import type { ProviderRouter } from '../tenants/router.js';
import type { Checked, ProviderDefinition, WebhookRequest } from './provider.js';
import { ack } from './respond.js';
import { reportWebhook } from './report.js';
import type { WebhookDeps } from './webhook-deps.js';

const decoder = new TextDecoder();

function checked<T>(result: Checked<T>): T {
  if (!result.ok) throw new BridgeError(result.reason, result.message);
  return result.value;
}

/**
 * `POST /webhooks/<source>[/<tenant>]` for any provider: choose the secrets (before reading the
 * body, so a missing secret or an unknown tenant costs nothing), read the raw bytes within the
 * size limit, verify, identify, store the raw event in one durable insert, acknowledge. Parsing,
 * mapping and delivery to Dub happen after the ack.
 */
export function providerWebhook(provider: ProviderDefinition, router: ProviderRouter, deps: WebhookDeps) {
  return async (c: Context) => {
    const started = deps.now();
    const header = (name: string) => c.req.header(name) ?? null;
    const plan = router.plan({ body: new Uint8Array(), text: '', header }, c.req.param('tenant'));
    const body = await deps.readBody(c);
    if (body.byteLength === 0) throw new BridgeError('invalid_payload', 'empty body');
    const request: WebhookRequest = { body, text: decoder.decode(body), header };
    const verified = checked(await plan.verify(request));
    const identity = checked(await provider.identify(verified, request));
    const route = plan.route ?? router.routeEvent(identity.account, verified.secret);
    const result = await receiveEvent({ source: provider.source, identity, payload: request.text, tenant: route.tenant }, deps);
    const extra = identity.account ? { [provider.accountLogField ?? 'account']: identity.account } : undefined;
    reportWebhook(c, deps, { source: provider.source, type: identity.eventType, eventId: identity.eventKey, tenant: route.tenant, extra }, result, started);
    deps.afterAck(c, result);
    return ack(c, result);
  };
}
