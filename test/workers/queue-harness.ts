import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import Stripe from 'stripe';
import worker, { type WorkerEnv } from '../../src/runtime/worker.js';
import { createD1Store } from '../../src/runtime/d1-store.js';
import checkoutCompleted from '../fixtures/stripe/checkout-session-completed-payment.json' with { type: 'json' };
import type { SignedWebhook } from '../shared/webhook-cases.js';

/** The queue wrangler.toml names; its dead-letter queue ends in -dlq. */
export const QUEUE = 'dub-bridge-delivery';
export const DEAD_LETTER_QUEUE = 'dub-bridge-delivery-dlq';

export interface DeliveryBody {
  outboxId: number;
}

/** A producer that keeps what was sent instead of queueing it (the test plays the queue). */
export function capturingQueue() {
  const sent: DeliveryBody[] = [];
  return {
    sent,
    async send(body: DeliveryBody) {
      sent.push(body);
    },
    async sendBatch(messages: Iterable<{ body: DeliveryBody }>) {
      for (const message of messages) sent.push(message.body);
    },
  };
}

/** A producer whose messages are lost on the way (nothing arrives at any consumer). */
export const losingQueue = () => ({ async send() {}, async sendBatch() {} });

let nextMessage = 0;

/** One consumer invocation over `bodies`, as the queue would deliver them; with its ack/retry result. */
export async function consume(target: WorkerEnv, bodies: unknown[], options: { queue?: string; attempts?: number } = {}) {
  const batch = createMessageBatch(
    options.queue ?? QUEUE,
    bodies.map((body) => ({ id: `msg-${++nextMessage}`, timestamp: new Date(), attempts: options.attempts ?? 1, body })),
  );
  // getQueueResult reports which messages were retried but not their delay: note it on the way.
  const delays = new Map<string, number | undefined>();
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    Object.assign(message, {
      retry: (options?: { delaySeconds?: number }) => {
        delays.set(message.id, options?.delaySeconds);
        retry(options);
      },
    });
  }
  const ctx = createExecutionContext();
  await worker.queue(batch, target, ctx);
  const result = await getQueueResult(batch, ctx);
  return {
    ids: batch.messages.map((m) => m.id),
    acked: result.explicitAcks as string[],
    ackedAll: result.ackAll as boolean,
    retried: (result.retryMessages as Array<{ msgId: string }>).map(({ msgId }) => ({ msgId, delaySeconds: delays.get(msgId) })),
  };
}

/**
 * `count` lead rows (different customers) recorded the way a mapped webhook leaves them, due now,
 * for the key of `tenant` (null: DUB_API_KEY). Returns their outbox ids.
 */
export async function recordLeads(count: number, prefix = 'lead', tenant: string | null = null): Promise<number[]> {
  const store = createD1Store(env.DB);
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const customer = `${prefix}_${i}`;
    const command = JSON.stringify({ kind: 'lead', body: { clickId: `cl_${customer}`, eventName: 'Sign up', customerExternalId: customer } });
    await store.recordEvent({
      inbox: {
        source: 'stripe',
        eventKey: `evt_${customer}`,
        eventType: 'customer.created',
        account: null,
        tenant,
        receivedAt: now,
        payload: '{}',
        state: 'mapped',
        reason: null,
      },
      outbox: [{ kind: 'lead', idempotencyKey: `lead:${customer}`, customerKey: customer, tenant, command, rank: 1, dueAt: now }],
      links: [],
    });
  }
  const rows = await env.DB.prepare(`SELECT id FROM outbox WHERE idempotency_key LIKE ? ORDER BY id`).bind(`lead:${prefix}_%`).all<{ id: number }>();
  return rows.results.map((r) => r.id);
}

/** The paid checkout fixture as a distinct event (`n` varies event, session and payment), signed with `secret`. */
export async function signedCheckout(secret: string, n = 0, path: SignedWebhook['path'] = '/webhooks/stripe'): Promise<SignedWebhook> {
  const event = structuredClone(checkoutCompleted) as typeof checkoutCompleted & { data: { object: Record<string, unknown> } };
  if (n > 0) {
    event.id = `${event.id}_${n}`;
    Object.assign(event.data.object, { id: `${event.data.object.id}_${n}`, payment_intent: `pi_test_burst_${n}` });
  }
  const body = JSON.stringify(event);
  const signature = await Stripe.webhooks.generateTestHeaderStringAsync({ payload: body, secret });
  return { path, headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
