import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { postWebhook, rows, runCron, startRemoteFakeDub, workerEnv, type RemoteFakeDub } from './harness.js';
import { capturingQueue, consume, DEAD_LETTER_QUEUE, losingQueue, recordLeads, signedCheckout } from './queue-harness.js';

/**
 * Delivery through Cloudflare Queues: the webhook's rows are enqueued once mapped, a consumer
 * claims and delivers them with the outbox's lease and retry rules, and the Cron sweeper catches
 * what a lost message leaves behind. The test plays the queue (createMessageBatch) so it can lose,
 * duplicate and retry messages at will.
 */
let dub: RemoteFakeDub;
beforeEach(async () => {
  dub = await startRemoteFakeDub();
});
afterEach(() => dub.close());

const sales = async () => (await dub.requests()).filter((r) => r.path === '/track/sale');
const outboxStates = () => rows<{ id: number; state: string; attempts: number }>('SELECT id, state, attempts FROM outbox ORDER BY id');

test('an acknowledged webhook only enqueues its mapped row; the consumer delivers it and acks the message', async () => {
  const queue = capturingQueue();
  const target = workerEnv(dub, { DELIVERY_QUEUE: queue });

  const ack = await postWebhook(target, await signedCheckout(env.STRIPE_WEBHOOK_SECRET));
  expect(ack.status).toBe(200);
  const [row] = await outboxStates();
  // Mapped after the ack and enqueued, not sent: the request path leaves delivery to the queue.
  expect(queue.sent).toEqual([{ outboxId: row!.id }]);
  expect(await sales()).toEqual([]);
  expect(row).toMatchObject({ state: 'pending', attempts: 0 });

  const result = await consume(target, queue.sent);
  expect(result.acked).toEqual(result.ids);
  expect(result.retried).toEqual([]);
  expect(await outboxStates()).toEqual([{ id: row!.id, state: 'delivered', attempts: 1 }]);
  expect((await sales()).map((s) => (s.body as { invoiceId: string }).invoiceId)).toEqual(['pi_3QyPkQ2eZvKYlo2C1aBcDeFg']);
});

test('a message delivered twice, even to two consumers at once, makes one Dub call', async () => {
  const queue = capturingQueue();
  const target = workerEnv(dub, { DELIVERY_QUEUE: queue });
  await postWebhook(target, await signedCheckout(env.STRIPE_WEBHOOK_SECRET));
  const [message] = queue.sent;
  await dub.fail('sale', { delayMs: 300 });

  // Two consumers get the same message at the same time, then a late redelivery arrives.
  const [first, second] = await Promise.all([consume(target, [message]), consume(target, [message])]);
  const late = await consume(target, [message]);

  expect(await sales()).toHaveLength(1);
  expect(await outboxStates()).toMatchObject([{ state: 'delivered', attempts: 1 }]);
  // Whoever lost the claim leaves the row to its holder: nothing is retried in the end.
  for (const result of [first, second, late]) expect(result.acked).toEqual(result.ids);
});

test('a failed call retries the message with the delay the retry policy computed, and the retry delivers', async () => {
  const queue = capturingQueue();
  const target = workerEnv(dub, { DELIVERY_QUEUE: queue });
  await dub.fail('sale', { status: 503, headers: { 'retry-after': '7' } });
  await postWebhook(target, await signedCheckout(env.STRIPE_WEBHOOK_SECRET));

  const first = await consume(target, queue.sent);
  expect(first.acked).toEqual([]);
  expect(first.retried).toEqual([{ msgId: first.ids[0], delaySeconds: 7 }]);
  const [afterFirst] = await rows<{ state: string; attempts: number; due_in: number }>(
    `SELECT state, attempts, next_attempt_at - ${Date.now()} AS due_in FROM outbox`,
  );
  expect(afterFirst).toMatchObject({ state: 'pending', attempts: 1 });
  expect(afterFirst!.due_in).toBeGreaterThan(6_000);

  // The queue brings it back after the delay (here: the row made due now, as time would).
  await env.DB.prepare('UPDATE outbox SET next_attempt_at = 0').run();
  const retry = await consume(target, queue.sent, { attempts: 2 });
  expect(retry.acked).toEqual(retry.ids);
  expect(await outboxStates()).toMatchObject([{ state: 'delivered', attempts: 2 }]);
  expect(await sales()).toHaveLength(2);
});

test('a lost queue message is picked up by the Cron sweeper', async () => {
  const target = workerEnv(dub, { DELIVERY_QUEUE: losingQueue() });
  expect((await postWebhook(target, await signedCheckout(env.STRIPE_WEBHOOK_SECRET))).status).toBe(200);
  expect(await outboxStates()).toMatchObject([{ state: 'pending', attempts: 0 }]);
  expect(await sales()).toEqual([]);

  await runCron(target);
  expect(await outboxStates()).toMatchObject([{ state: 'delivered', attempts: 1 }]);
  expect(await sales()).toHaveLength(1);
});

test('a message the queue gave up on (dead-letter queue) makes its row a replayable dead letter', async () => {
  const [pendingId, deliveredId] = await recordLeads(2, 'dlq');
  await env.DB.prepare(`UPDATE outbox SET state = 'delivered' WHERE id = ?`).bind(deliveredId).run();

  const result = await consume(workerEnv(dub), [{ outboxId: pendingId }, { outboxId: deliveredId }], { queue: DEAD_LETTER_QUEUE });
  expect(result.ackedAll).toBe(true);
  const states = await rows<{ id: number; state: string; last_error: string | null }>('SELECT id, state, last_error FROM outbox ORDER BY id');
  expect(states).toEqual([
    { id: pendingId, state: 'dead', last_error: expect.stringContaining('delivery queue gave up') },
    { id: deliveredId, state: 'delivered', last_error: null },
  ]);
  expect(await dub.requests()).toEqual([]);
});

test('without a queue binding, the request delivers its own event only, and leaves other due rows to the Cron', async () => {
  const target = workerEnv(dub);
  // A row of another event, due now (its own request died before delivering it).
  const [otherId] = await recordLeads(1, 'other');
  await postWebhook(target, await signedCheckout(env.STRIPE_WEBHOOK_SECRET));
  expect(await rows('SELECT kind, state FROM outbox ORDER BY id')).toEqual([
    { kind: 'lead', state: 'pending' },
    { kind: 'sale', state: 'delivered' },
  ]);
  await runCron(target);
  expect(await rows(`SELECT id, state FROM outbox WHERE kind = 'lead'`)).toEqual([{ id: otherId, state: 'delivered' }]);
});
