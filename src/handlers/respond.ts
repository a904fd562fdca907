import type { Context } from 'hono';
import type { ReceiveResult } from '../ingest/receive.js';

/**
 * The 200 body for a stored or duplicate webhook. Record first: the event is durable once this is
 * sent; what it maps to is decided right after (see the inbox state, `dub-bridge events`, the console).
 */
export function ackBody(result: ReceiveResult) {
  // The inbox id is what `dub-bridge events show` and the console find the event by.
  return { received: true, duplicate: result.duplicate, inboxId: result.inboxId };
}

export function ack(c: Context, result: ReceiveResult) {
  return c.json(ackBody(result), 200);
}
