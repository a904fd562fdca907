import { describe, expect, it } from 'vitest';
import { stripeFixture } from '../fixtures/stripe/index.js';
import { waitFor } from '../helpers/child-bridge.js';
import { outboxStates, rig } from './setup.js';
import { checkoutEvent } from './stripe-events.js';

describe("a customer's lead goes to Dub before that customer's sale", { timeout: 60_000 }, () => {
  it('holds the sale while the lead is still being retried', async () => {
    const r = await rig();
    r.dub.fail('lead', { status: 503 }, { status: 503 }, { status: 502 });
    const bridge = await r.start();
    // A checkout paid by bank transfer: the lead now (unpaid), the sale when the money arrives.
    const signup = checkoutEvent('order', 1, { paymentStatus: 'unpaid' });
    const paid = stripeFixture('checkout-session-async-payment-succeeded');
    const session = JSON.parse(signup.body).data.object;
    paid.id = 'evt_order_paid_1';
    Object.assign(paid.data.object, {
      id: session.id,
      customer: session.customer,
      client_reference_id: session.client_reference_id,
      metadata: session.metadata,
      payment_intent: session.payment_intent,
    });
    expect((await bridge.postStripe(signup.body)).status).toBe(200);
    expect((await bridge.postStripe(paid)).status).toBe(200);

    await waitFor(() => outboxStates(r).delivered === 2, 20_000, 'lead and sale');
    const calls = r.dub.requests.filter((c) => c.path === '/track/lead' || c.path === '/track/sale');
    expect(calls.map((c) => `${c.path} ${c.status}`)).toEqual(['/track/lead 503', '/track/lead 503', '/track/lead 502', '/track/lead 200', '/track/sale 200']);
    expect(calls.every((c) => c.body.customerExternalId === signup.customer)).toBe(true);
    const rows = r.db.all(`SELECT kind, attempts FROM outbox ORDER BY id`);
    expect(rows).toEqual([
      { kind: 'lead', attempts: 4 },
      { kind: 'sale', attempts: 1 },
    ]);
  });
});
