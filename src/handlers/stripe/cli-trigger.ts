import { createHmac } from 'node:crypto';
import type { TriggerAdapter } from '../../cli/adapter.js';
import { toMinorUnits } from '../../cli/trigger/amount.js';
import type { TriggerInput, TriggerRequest } from '../../cli/trigger/types.js';
import sample from './trigger-sample.json' with { type: 'json' };

/**
 * Stripe's `Stripe-Signature`: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, keyed
 * with the whole `whsec_…` string (what stripe-node's test header generator does).
 */
export function signStripe(body: string, secret: string, nowMs: number): string {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** A test-mode `checkout.session.completed` of a paid one-time payment, new ids every run. */
function checkoutSessionCompleted(input: TriggerInput, secret: string): TriggerRequest {
  const event = structuredClone(sample) as typeof sample & { data: { object: Record<string, unknown> } };
  const session = event.data.object as typeof sample.data.object;
  const created = Math.floor(input.now / 1000);
  event.id = `evt_trigger_${input.id}`;
  event.created = created;
  event.request.id = `req_trigger_${input.id}`;
  session.id = `cs_test_trigger_${input.id}`;
  session.created = created - 120;
  session.expires_at = created + 86_280;
  session.payment_intent = `pi_trigger_${input.id}`;
  session.customer = `cus_trigger_${input.id}`;
  if (input.currency) session.currency = input.currency;
  if (input.amount !== undefined) {
    // The amount given is the sale: no tax on top, so what Dub receives is exactly it.
    const minor = toMinorUnits(input.amount, session.currency);
    session.amount_subtotal = minor;
    session.amount_total = minor;
    session.total_details.amount_tax = 0;
    session.automatic_tax.enabled = false;
  }
  (session as { client_reference_id: string | null }).client_reference_id = input.clickId ? `dub_id_${input.clickId}` : null;
  if (input.customer) session.metadata.dubCustomerExternalId = input.customer;
  const body = JSON.stringify(event, null, 2);
  return {
    body,
    headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signStripe(body, secret, input.now), 'user-agent': 'dub-bridge-trigger' },
    eventKeyContains: event.id,
  };
}

/** `trigger stripe`: one event type, built from the sample next to this file. */
export const stripeTrigger: TriggerAdapter = {
  events: { 'checkout.session.completed': checkoutSessionCompleted },
};
