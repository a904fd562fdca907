import type { MessageBatch } from '@cloudflare/workers-types/latest/index.js';
import { isRetentionRun, runRetention } from '../db/scrub.js';
import type { KeyGates } from '../deliver/key-gates.js';
import type { DrainReport } from '../deliver/dispatcher.js';
import type { Isolate, StartDelivery } from './worker-isolate.js';
import type { RowScope } from './worker-outbox.js';
import { isDeadLetterQueue, messagesByRow, outboxIdOf, settleMessages } from './worker-queue.js';

/** After an ack: `waitUntil` lives about 30 s past the response; calls started by 15 s end within it. */
const AFTER_ACK_BUDGET_MS = 15_000;
/** One Cron run claims for 25 s and leaves the rest to the next minute. */
const SWEEP_BUDGET_MS = 25_000;
/** One queue batch: far below a consumer's wall-time limit, and a lease covers the rest. */
const QUEUE_BUDGET_MS = 120_000;

/** The gates, with no rate-limit slot booked past `deadline`: a row that cannot start in time goes back. */
function withDeadline(gates: KeyGates, deadline: number): KeyGates {
  return {
    ...gates,
    status: () => gates.status(),
    limiter(key) {
      const limiter = gates.limiter(key);
      return { reserve: (maxWaitMs) => limiter.reserve(Math.min(maxWaitMs, deadline - Date.now())), holdUntil: (time) => limiter.holdUntil(time) };
    },
  };
}

/**
 * One delivery run in this invocation: a fresh mapper and dispatcher (promises and timers stay in
 * the invocation), the rows of `scope` (every due row when null), the shared gates, and a time
 * budget after which it stops claiming and gives back every row it did not start.
 */
export async function deliverWithin(parts: Isolate, scope: RowScope | null, budgetMs: number): Promise<DrainReport> {
  const deadline = Date.now() + budgetMs;
  const { dispatcher } = parts.bridge.newDelivery({
    gates: withDeadline(parts.gates, deadline),
    ...(scope ? { claim: parts.outbox.claimScoped(scope) } : {}),
    ...(scope && 'inboxId' in scope ? { onlyInboxId: scope.inboxId } : {}),
  });
  const timer = setTimeout(() => void dispatcher.stop(parts.config.DUB_TIMEOUT_MS), budgetMs);
  try {
    const report = await dispatcher.drain();
    // Claimed, not started when the budget ran out: due again at once, for the next run.
    await dispatcher.releaseUnfinished();
    return report;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * After an ack (or a console replay): with the queue, only map (the mapping enqueues its rows);
 * without it, deliver that event's own rows within the budget. A replay names no event: it
 * delivers what is due, within the same budget.
 */
export const startDelivery: StartDelivery = (parts, c, event) => {
  const run = async () => {
    if (parts.queue && event) return void (await parts.bridge.newDelivery().mapper.mapInboxRow(event.inboxId));
    await deliverWithin(parts, event ? { inboxId: event.inboxId } : null, AFTER_ACK_BUDGET_MS);
  };
  c.executionCtx.waitUntil(run().catch((error: Error) => parts.logger.error({ error: error.message }, 'delivery after ack failed')));
};

/** Cron: due retries, expired leases and rows whose message was lost; then, hourly, retention. */
export async function sweep(parts: Isolate): Promise<void> {
  // Decided at the start: a long drain must not push the hourly run past its minute.
  const retentionRun = isRetentionRun(Date.now());
  const report = await deliverWithin(parts, null, SWEEP_BUDGET_MS);
  if (report.attempted > 0) parts.logger.info({ ...report }, 'sweep delivered');
  // Same retention as on Node, once an hour, in bounded batches within a Worker's D1 query budget.
  if (retentionRun) {
    const { RETENTION_DAYS: retentionDays, ROW_RETENTION_DAYS: rowRetentionDays } = parts.config;
    const retention = await runRetention(parts.store, { retentionDays, rowRetentionDays, now: Date.now(), batchSize: 1_000, maxBatches: 5 });
    const changed = retention.payloads + retention.commands + retention.deletedInbox + retention.deletedOutbox;
    if (changed > 0) parts.logger.info({ ...retention, retentionDays, rowRetentionDays }, 'retention applied');
  }
}

/**
 * A delivery queue batch: the rows its messages name are claimed (same lease, retry policy and
 * gates as every other path) and delivered; then each message is acked or retried by its row.
 * A batch from the dead-letter queue makes its rows dead letters.
 */
export async function consumeBatch(parts: Isolate, batch: MessageBatch<unknown>): Promise<void> {
  if (isDeadLetterQueue(batch.queue)) return deadLetters(parts, batch);
  const byRow = messagesByRow(batch.messages, parts.logger);
  if (byRow.size === 0) return;
  const scope = { ids: [...byRow.keys()] };
  await deliverWithin(parts, scope, QUEUE_BUDGET_MS);
  const [rows, held] = await Promise.all([parts.outbox.rows(scope), parts.gates.onHold()]);
  // Without DUB_API_KEY (and no DRY_RUN) the default key's rows wait for the key, as paused ones do.
  const { DUB_API_KEY, DRY_RUN } = parts.config;
  const waiting = [...held.map((key) => key ?? ''), ...(DUB_API_KEY || DRY_RUN ? [] : [''])];
  settleMessages(byRow, rows, new Set(waiting), Date.now());
}

async function deadLetters(parts: Isolate, batch: MessageBatch<unknown>): Promise<void> {
  const ids = batch.messages.map((m) => outboxIdOf(m.body)).filter((id): id is number => id !== null);
  const reason = `the delivery queue gave up on this row (its message reached ${batch.queue}); replay it once the cause is fixed`;
  const dead = ids.length ? await parts.outbox.markDead(ids, reason, Date.now()) : 0;
  if (dead > 0) parts.logger.error({ dead, queue: batch.queue }, 'delivery dead-lettered by the queue (replay with `dub-bridge replay` or the console)');
  batch.ackAll();
}
