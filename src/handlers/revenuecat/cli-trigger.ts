import { randomUUID } from 'node:crypto';
import { toMinorUnits } from '../../cli/trigger/amount.js';
import type { TriggerAdapter } from '../../cli/adapter.js';
import type { TriggerInput, TriggerRequest } from '../../cli/trigger/types.js';
import sample from './trigger-sample.json' with { type: 'json' };

/** A subscriber attribute as RevenueCat sends it. */
const attribute = (value: string, at: number) => ({ updated_at_ms: at, value });

/**
 * A sandbox `INITIAL_PURCHASE` of an App Store subscription, new ids every run. RevenueCat signs
 * nothing: it sends the configured `Authorization` value verbatim, which is what "signing" means
 * here. The click id and the customer are subscriber attributes, as the app sets them. The amount
 * is `price_in_purchased_currency`, a number in major units as RevenueCat sends it.
 */
function initialPurchase(input: TriggerInput, secret: string): TriggerRequest {
  const body: Record<string, any> = structuredClone(sample);
  const event = body.event;
  event.id = randomUUID();
  event.transaction_id = event.original_transaction_id = `2000${BigInt(`0x${input.id.slice(0, 12)}`)
    .toString()
    .padStart(12, '0')
    .slice(-12)}`;
  event.purchased_at_ms = event.event_timestamp_ms = input.now;
  event.expiration_at_ms = input.now + 30 * 86_400_000;
  const currency = (input.currency ?? event.currency).toUpperCase();
  event.currency = currency;
  if (input.amount !== undefined) {
    toMinorUnits(input.amount, currency.toLowerCase()); // refuses more decimals than the currency has
    event.price_in_purchased_currency = Number(input.amount);
  }
  // `price` is in USD; the CLI knows no exchange rates, and RevenueCat too sends null when it has none.
  event.price = currency === 'USD' ? event.price_in_purchased_currency : null;
  const customer = input.customer ?? sample.event.app_user_id;
  event.app_user_id = customer;
  event.aliases = [sample.event.original_app_user_id, customer];
  event.subscriber_attributes = {
    ...event.subscriber_attributes,
    dubCustomerExternalId: attribute(customer, input.now),
    ...(input.clickId ? { dubClickId: attribute(input.clickId, input.now) } : {}),
  };
  return {
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', authorization: secret, 'user-agent': 'dub-bridge-trigger' },
    eventKeyContains: event.id,
  };
}

export const revenuecatTrigger: TriggerAdapter = {
  events: { INITIAL_PURCHASE: initialPurchase },
};
