import { Hono } from 'hono';
import { serveHono } from './ipc.js';

// The HTTP ceiling: Hono on @hono/node-server reading the body and answering 200, nothing else.
const app = new Hono();
const ok = async (c: import('hono').Context) => {
  await c.req.text();
  return c.json({ received: true });
};
app.post('/webhooks/stripe', ok);
app.post('/webhooks/shopify', ok);
serveHono(app);
