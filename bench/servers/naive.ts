import { Hono } from 'hono';
import Stripe from 'stripe';
import { STRIPE_SECRET } from '../../test/helpers/signers.js';
import { serveHono } from './ipc.js';

/**
 * The handler people write from the two quick-starts: verify the Stripe event, `await` Dub's
 * track call, then answer. Its ack waits for Dub, so Dub's latency and rate limit become the
 * webhook endpoint's.
 */
const dubUrl = process.env.DUB_API_URL!;
const dubKey = process.env.DUB_API_KEY!;
const app = new Hono();
app.post('/webhooks/stripe', async (c) => {
  let event: Stripe.Event;
  try {
    // Stripe's Node quick-start: the synchronous verifier on Node's crypto.
    event = Stripe.webhooks.constructEvent(await c.req.text(), c.req.header('stripe-signature') ?? '', STRIPE_SECRET);
  } catch {
    return c.text('bad signature', 400);
  }
  if (event.type !== 'checkout.session.completed') return c.text('ignored');
  const session = event.data.object;
  const response = await fetch(`${dubUrl}/track/sale`, {
    method: 'POST',
    headers: { authorization: `Bearer ${dubKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      customerExternalId: session.customer,
      amount: session.amount_total,
      currency: session.currency,
      paymentProcessor: 'stripe',
      eventName: 'Purchase',
      invoiceId: session.id,
      clickId: session.client_reference_id?.replace(/^dub_id_/, ''),
    }),
  });
  await response.arrayBuffer();
  return response.ok ? c.text('ok') : c.text('dub failed', 500);
});
serveHono(app);
