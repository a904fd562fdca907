import { createHmac, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { readNodeBody } from '../../src/runtime/node-body.js';
import { STRIPE_SECRET } from '../../test/helpers/signers.js';
import { serveHono } from './ipc.js';

/**
 * The cheapest correct Stripe endpoint on Node, written the way Stripe's docs describe the check:
 * the body read like the bridge reads it, `Stripe-Signature` parsed, the timestamp within 300 s,
 * HMAC-SHA256 of `<t>.<body>` with node:crypto compared in constant time, the JSON parsed, 200.
 * This is "a Hono handler that only verifies the signature and parses the JSON" (issue 14): the
 * baseline the bridge's ratio is taken against.
 */
const TOLERANCE_S = 300;
const decoder = new TextDecoder();

function signatureOf(header: string): { timestamp: number; v1: Buffer[] } | null {
  let timestamp = Number.NaN;
  const v1: Buffer[] = [];
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    const key = part.slice(0, at);
    if (key === 't') timestamp = Number(part.slice(at + 1));
    else if (key === 'v1') v1.push(Buffer.from(part.slice(at + 1), 'hex'));
  }
  return Number.isFinite(timestamp) && v1.length ? { timestamp, v1 } : null;
}

const hono = new Hono();
hono.post('/webhooks/stripe', async (c) => {
  const body = await readNodeBody(c, 1 << 20);
  const signature = signatureOf(c.req.header('stripe-signature') ?? '');
  if (!signature || Math.abs(Date.now() / 1000 - signature.timestamp) > TOLERANCE_S) return c.json({ error: 'invalid_signature' }, 400);
  const text = decoder.decode(body);
  const expected = createHmac('sha256', STRIPE_SECRET).update(`${signature.timestamp}.${text}`).digest();
  if (!signature.v1.some((mac) => mac.length === expected.length && timingSafeEqual(mac, expected))) return c.json({ error: 'invalid_signature' }, 400);
  try {
    JSON.parse(text);
  } catch {
    return c.json({ error: 'malformed_json' }, 400);
  }
  return c.json({ received: true });
});
serveHono(hono);
