import { Hono } from 'hono';
import { createStripeVerifier } from '../../src/handlers/stripe/verify.js';
import { readNodeBody } from '../../src/runtime/node-body.js';
import { STRIPE_SECRET } from '../../test/helpers/signers.js';
import { serveHono } from './ipc.js';

// The bridge's own body reading and Stripe verification as they run on Node, then 200: the cost
// every correct webhook endpoint pays before it does anything with the event.
const verify = createStripeVerifier([STRIPE_SECRET], { now: Date.now });
const decoder = new TextDecoder();
app();

function app() {
  const hono = new Hono();
  hono.post('/webhooks/stripe', async (c) => {
    const body = await readNodeBody(c, 1 << 20);
    const header = (name: string) => c.req.header(name) ?? null;
    const verified = await verify({ body, text: decoder.decode(body), header });
    return verified.ok ? c.json({ received: true }) : c.json({ error: verified.reason }, 400);
  });
  serveHono(hono);
}
