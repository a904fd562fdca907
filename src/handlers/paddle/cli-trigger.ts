import { createHmac } from 'node:crypto';
import { toMinorUnits } from '../../cli/trigger/amount.js';
import type { TriggerAdapter } from '../../cli/adapter.js';
import type { TriggerInput, TriggerRequest } from '../../cli/trigger/types.js';
import sample from './trigger-sample.json' with { type: 'json' };

/**
 * Paddle's `Paddle-Signature`: `ts=<unix seconds>;h1=<hex HMAC-SHA256 of "<ts>:<raw body>">`, keyed
 * with the endpoint secret key's UTF-8 bytes (Paddle's "verify webhook signatures" guide).
 */
export function signPaddle(body: string, secret: string, nowMs: number): string {
  const ts = Math.floor(nowMs / 1000);
  return `ts=${ts};h1=${createHmac('sha256', secret).update(`${ts}:${body}`).digest('hex')}`;
}

/** Paddle ids: a prefix and 26 lowercase letters and digits. */
const paddleId = (prefix: string, id: string) => `${prefix}_01trigger0${id}`.slice(0, prefix.length + 27);

/** Every totals object of the sample set to one amount with no tax and no discount. */
const totals = (minor: string) => ({ subtotal: minor, discount: '0', tax: '0', total: minor });

/**
 * A `transaction.completed` of a one-time web checkout, new ids every run. The click id and the
 * customer go in `custom_data`, where a checkout's `customData` puts them. The amount given is the
 * sale (no tax on top).
 */
function transactionCompleted(input: TriggerInput, secret: string): TriggerRequest {
  // Loosely typed: the builder rewrites fields of a sample, whatever their sample types.
  const event: Record<string, any> = structuredClone(sample);
  const txn = event.data;
  const at = new Date(input.now).toISOString();
  event.event_id = paddleId('evt', input.id);
  event.notification_id = paddleId('ntf', input.id);
  event.occurred_at = at;
  txn.id = paddleId('txn', input.id);
  txn.invoice_number = `TRG-${input.id.slice(0, 6).toUpperCase()}`;
  txn.created_at = txn.updated_at = txn.billed_at = at;
  txn.checkout.url = `https://shop.example/checkout?_ptxn=${txn.id}`;
  const currency = (input.currency ?? txn.currency_code).toUpperCase();
  txn.currency_code = txn.details.totals.currency_code = currency;
  txn.items[0].price.unit_price.currency_code = currency;
  if (input.amount !== undefined) {
    const minor = String(toMinorUnits(input.amount, currency.toLowerCase()));
    Object.assign(txn.details.totals, totals(minor), { grand_total: minor, grand_total_tax: '0', fee: '0', earnings: minor });
    txn.details.tax_rates_used = [{ tax_rate: '0', totals: totals(minor) }];
    Object.assign(txn.details.line_items[0], { tax_rate: '0', unit_totals: totals(minor), totals: totals(minor) });
    txn.items[0].price.unit_price.amount = minor;
    txn.payments[0].amount = minor;
  }
  txn.custom_data = {
    ...(input.clickId ? { dubClickId: input.clickId } : {}),
    dubCustomerExternalId: input.customer ?? sample.data.custom_data.dubCustomerExternalId,
  };
  const body = JSON.stringify(event);
  return {
    body,
    headers: { 'content-type': 'application/json', 'paddle-signature': signPaddle(body, secret, input.now), 'user-agent': 'dub-bridge-trigger' },
    eventKeyContains: event.event_id,
  };
}

export const paddleTrigger: TriggerAdapter = {
  events: { 'transaction.completed': transactionCompleted },
};
