import { Hono } from 'hono';
import { readNodeBody } from '../../src/runtime/node-body.js';
import { serveHono } from './ipc.js';

// The HTTP ceiling: Hono on @hono/node-server reading the body the way the bridge does on Node
// (straight from Node's request) and answering 200, nothing else.
const app = new Hono();
const ok = async (c: import('hono').Context) => {
  await readNodeBody(c, 1 << 20);
  return c.json({ received: true });
};
app.post('/webhooks/stripe', ok);
app.post('/webhooks/shopify', ok);
serveHono(app);
