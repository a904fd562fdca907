import type { Message, Queue } from '@cloudflare/workers-types/latest/index.js';
import type { OutboxRow } from '../db/schema.js';
import type { Store } from '../db/store.js';
import type { Logger } from '../logger.js';

/** One delivery queue message: the outbox row to deliver. The row, not the message, is the truth. */
export interface DeliveryMessage {
  outboxId: number;
}

/** Well within the delay Queues accept per message (24 h), and far above the retry policy's longest backoff. */
const MAX_DELAY_SECONDS = 43_200;
/** A due row this consumer could not claim (its customer's lead goes first, or time ran out): look again soon, then less often. */
const WAITING_DELAY_SECONDS = 5;
/**
 * After this many deliveries of one message its row is left to the Cron sweeper (the message is
 * acked): a row that only waits (rate slots, its lead, a long backoff) never reaches the
 * dead-letter queue, whose `max_retries` (wrangler.toml) is set above this. Only a batch that
 * keeps failing as a whole (the consumer throws) gets there.
 */
export const QUEUE_RETRY_LIMIT = 50;

/**
 * `enqueueDelivery(ids)`: one message per outbox row, sent in batches of 100 (the Queues limit).
 * The message is only a wake-up: a lost one leaves its row pending for the Cron sweeper.
 */
export function queueEnqueue(queue: Queue<DeliveryMessage>): (ids: number[]) => Promise<void> {
  return async (ids) => {
    for (let i = 0; i < ids.length; i += 100) {
      await queue.sendBatch(ids.slice(i, i + 100).map((outboxId) => ({ body: { outboxId }, contentType: 'json' as const })));
    }
  };
}

/**
 * The store, with each mapping's new outbox rows handed to `enqueue` once the mapping committed
 * (record-first ingest maps after the ack: in the request's waitUntil, a consumer or the Cron).
 * A failed send is logged and left to the Cron sweeper: the rows are committed and pending.
 */
export function enqueueAfterMapping(store: Store, enqueue: (ids: number[]) => Promise<void>, logger: Logger): Store {
  return {
    ...store,
    async recordMapped(row, input) {
      const result = await store.recordMapped(row, input);
      if (result.applied && result.queued > 0) {
        try {
          const ids = (await store.listOutboxForInbox(row.id)).filter((r) => r.state === 'pending').map((r) => r.id);
          await enqueue(ids);
        } catch (error) {
          logger.error({ inboxId: row.id, error: (error as Error).message }, 'could not enqueue delivery: the Cron sweeper delivers these rows');
        }
      }
      return result;
    },
  };
}

/** The row id a message names, or null when the body is not a delivery message. */
export function outboxIdOf(body: unknown): number | null {
  const id = (body as Partial<DeliveryMessage> | null)?.outboxId;
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** Messages by the row they name (a row named twice in one batch is delivered once); others acked. */
export function messagesByRow(messages: readonly Message<unknown>[], logger: Logger): Map<number, Message<unknown>[]> {
  const byRow = new Map<number, Message<unknown>[]>();
  for (const message of messages) {
    const id = outboxIdOf(message.body);
    if (id === null) {
      logger.warn({ messageId: message.id }, 'delivery queue: not a delivery message, dropped');
      message.ack();
      continue;
    }
    byRow.set(id, [...(byRow.get(id) ?? []), message]);
  }
  return byRow;
}

/** What to do with a message once its batch ran: done with it, or look again after a delay. */
export type Step = { ack: string } | { retryAfterSeconds: number };

/**
 * The message's fate from its row's state after the attempt. A retry carries the delay the retry
 * policy computed (the row's next attempt), so the queue and the outbox agree; rows that another
 * consumer holds, or whose key Dub refuses, are acked and left to that consumer, the lease and the
 * Cron sweeper (a paused key would otherwise burn through the queue's retries into the DLQ).
 */
export function nextStep(row: OutboxRow | undefined, heldKeys: ReadonlySet<string>, now: number, deliveries = 1): Step {
  if (!row) return { ack: 'row no longer exists' };
  if (row.state !== 'pending') return { ack: row.state };
  if (heldKeys.has(row.tenant ?? '')) return { ack: 'key paused or not set: the Cron sweeper sends it once it can' };
  if (row.leaseUntil !== null && row.leaseUntil > now) return { ack: 'another consumer holds it' };
  if (deliveries >= QUEUE_RETRY_LIMIT) return { ack: 'left to the Cron sweeper' };
  const seconds = row.nextAttemptAt > now ? Math.ceil((row.nextAttemptAt - now) / 1000) : Math.min(WAITING_DELAY_SECONDS * deliveries, 60);
  return { retryAfterSeconds: Math.min(Math.max(seconds, 1), MAX_DELAY_SECONDS) };
}

/** Acks or retries each message by its row; a row's extra messages in the batch are acked. */
export function settleMessages(byRow: Map<number, Message<unknown>[]>, rows: readonly OutboxRow[], heldKeys: ReadonlySet<string>, now: number): void {
  const rowById = new Map(rows.map((r) => [r.id, r]));
  for (const [id, [first, ...extra]] of byRow) {
    for (const message of extra) message.ack();
    const step = nextStep(rowById.get(id), heldKeys, now, first!.attempts);
    if ('ack' in step) first!.ack();
    else first!.retry({ delaySeconds: step.retryAfterSeconds });
  }
}

/** Dead-letter queues are named after their queue with `-dlq` (wrangler.toml). */
export const isDeadLetterQueue = (name: string) => name.endsWith('-dlq');
