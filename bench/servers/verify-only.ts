import { Hono } from 'hono';
import Stripe from 'stripe';
import { readNodeBody } from '../../src/runtime/node-body.js';
import { createStripeVerifier } from '../../src/verify/stripe.js';
import { STRIPE_SECRET } from '../../test/helpers/signers.js';
import { serveHono } from './ipc.js';

// The bridge's own body reading and Stripe verification as they run on Node (constructEventAsync
// with stripe-node's Node crypto provider), then 200: the cost every correct webhook endpoint
// pays before it does anything with the event.
const verify = createStripeVerifier({ secrets: [STRIPE_SECRET], cryptoProvider: Stripe.createNodeCryptoProvider() });
const app = new Hono();
app.post('/webhooks/stripe', async (c) => {
  const body = new TextDecoder().decode(await readNodeBody(c, 1 << 20));
  const verified = await verify(body, c.req.header('stripe-signature') ?? null);
  return verified.ok ? c.json({ received: true }) : c.json({ error: verified.reason }, 400);
});
serveHono(app);
