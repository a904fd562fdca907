import { Hono } from 'hono';
import { createStripeVerifier } from '../../src/verify/stripe.js';
import { STRIPE_SECRET } from '../../test/helpers/signers.js';
import { serveHono } from './ipc.js';

// The bridge's own Stripe verification (constructEventAsync + SubtleCrypto), then 200: the cost
// every correct webhook endpoint pays before it does anything with the event.
const verify = createStripeVerifier({ secrets: [STRIPE_SECRET] });
const app = new Hono();
app.post('/webhooks/stripe', async (c) => {
  const verified = await verify(await c.req.text(), c.req.header('stripe-signature') ?? null);
  return verified.ok ? c.json({ received: true }) : c.json({ error: verified.reason }, 400);
});
serveHono(app);
