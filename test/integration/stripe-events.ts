import { stripeFixture } from '../fixtures/stripe/index.js';

/**
 * Unique, realistic Stripe events for load and fault tests, built from the recorded fixtures.
 * Each maps to exactly one Dub sale whose invoiceId is returned with it.
 */
export interface GeneratedEvent {
  id: string;
  invoiceId: string;
  customer: string;
  body: string;
}

/** A paid checkout with a Dub click: one attributed sale (invoiceId = the payment intent). */
export function checkoutEvent(run: string, i: number, overrides: { paymentStatus?: string } = {}): GeneratedEvent {
  const event = stripeFixture('checkout-session-completed-payment');
  const session = event.data.object;
  event.id = `evt_${run}_co_${i}`;
  session.id = `cs_${run}_${i}`;
  session.payment_intent = `pi_${run}_${i}`;
  session.customer = `cus_${run}_${i}`;
  session.client_reference_id = `dub_id_click_${run}_${i}`;
  session.metadata = { dubCustomerExternalId: `user_${run}_${i}` };
  if (overrides.paymentStatus) session.payment_status = overrides.paymentStatus;
  return { id: event.id, invoiceId: session.payment_intent, customer: `user_${run}_${i}`, body: JSON.stringify(event) };
}

/** A renewal invoice with the click in its metadata: one attributed sale (invoiceId = the invoice). */
export function invoiceEvent(run: string, i: number): GeneratedEvent {
  const event = stripeFixture('invoice-paid-renewal-legacy-api');
  const invoice = event.data.object;
  event.id = `evt_${run}_in_${i}`;
  invoice.id = `in_${run}_${i}`;
  invoice.customer = `cus_${run}_inv_${i}`;
  invoice.payment_intent = `pi_${run}_inv_${i}`;
  invoice.charge = `ch_${run}_inv_${i}`;
  invoice.metadata = { dubCustomerExternalId: `user_${run}_inv_${i}`, dubClickId: `click_${run}_inv_${i}` };
  return { id: event.id, invoiceId: invoice.id, customer: `user_${run}_inv_${i}`, body: JSON.stringify(event) };
}

/** Half checkouts, half renewal invoices. */
export function mixedEvents(run: string, count: number): GeneratedEvent[] {
  return Array.from({ length: count }, (_, i) => (i % 2 === 0 ? checkoutEvent(run, i) : invoiceEvent(run, i)));
}

/** Sends `events` with at most `concurrency` requests in flight; returns the ids answered 2xx. */
export async function sendInBatches(
  events: GeneratedEvent[],
  post: (body: string) => Promise<Response>,
  concurrency: number,
  onAck?: (acked: number) => void,
): Promise<Set<string>> {
  const acked = new Set<string>();
  const queue = [...events];
  const worker = async () => {
    for (let event = queue.shift(); event; event = queue.shift()) {
      try {
        const response = await post(event.body);
        await response.arrayBuffer();
        if (response.ok) {
          acked.add(event.id);
          onAck?.(acked.size);
        }
      } catch {
        // Connection refused or reset: not acknowledged, the provider would retry it.
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return acked;
}
