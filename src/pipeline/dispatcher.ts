import type { Claim, Store } from '../db/store.js';
import type { OutboxRow } from '../db/schema.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { DeliveryOutcome } from './outcome.js';
import { createRateLimiter } from './rate-limiter.js';
import { decide, type RetryPolicy } from './retry-policy.js';

export interface DispatcherOptions {
  store: Store;
  /** Runs one stored command against Dub (or records it, in dry run). */
  execute: (row: OutboxRow) => Promise<DeliveryOutcome>;
  policy: RetryPolicy;
  concurrency: number;
  ratePerMinute: number;
  leaseMs: number;
  /** How long delivery stays paused after a 401/403 before one row probes the key again. */
  pauseProbeMs?: number;
  logger: Logger;
  metrics: Metrics;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface DrainReport {
  attempted: number;
  delivered: number;
  retried: number;
  dead: number;
}

export interface DispatcherStatus {
  paused: boolean;
  pausedReason: string | null;
  inFlight: number;
}

/**
 * Delivers due outbox rows: claims them with a lease, calls Dub at a bounded rate and concurrency,
 * and marks each row by what the retry policy decides. `kick()` starts a drain in the background
 * (after an ack, from the sweeper); `drain()` runs one to completion (Workers' waitUntil, tests).
 */
export function createDispatcher(options: DispatcherOptions) {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const limiter = createRateLimiter(options.ratePerMinute, now, sleep);
  const { store, logger, metrics, policy } = options;
  const pauseProbeMs = options.pauseProbeMs ?? 60_000;
  let paused: { reason: string; probeAt: number } | null = null;
  let running: Promise<DrainReport> | null = null;
  let again = false;
  let stopping = false;
  let inFlight = 0;
  // Refunds read and raise the ledger's refunded amount; one at a time keeps that consistent.
  let refundChain: Promise<unknown> = Promise.resolve();

  async function deliver(row: OutboxRow, report: DrainReport): Promise<void> {
    const claim: Claim = { id: row.id, attempts: row.attempts };
    await limiter.take();
    inFlight++;
    let outcome: DeliveryOutcome;
    try {
      const run = () => options.execute(row);
      outcome = row.kind === 'refund' ? await (refundChain = refundChain.then(run, run)) as DeliveryOutcome : await run();
    } catch (error) {
      outcome = { ok: false, failure: { kind: 'network', message: `unexpected: ${(error as Error).message}` } };
    } finally {
      inFlight--;
    }
    report.attempted++;
    const labels = { source: row.source, kind: row.kind };
    if (outcome.ok) {
      await store.markDelivered(claim, outcome.state, outcome.summary, now());
      report.delivered++;
      metrics.delivered(labels, outcome.state);
      if (paused) {
        logger.info({ outboxId: row.id }, 'Dub accepted the API key again: delivery resumed');
        paused = null;
      }
      return;
    }
    const { failure } = outcome;
    if (failure.kind === 'http' && failure.status === 429 && failure.retryAfterMs) limiter.holdUntil(now() + failure.retryAfterMs);
    const decision = decide(failure, row.attempts, policy);
    switch (decision.action) {
      case 'retry':
        await store.markRetry(claim, now() + decision.delayMs, failure.message);
        report.retried++;
        metrics.retried(labels);
        logger.warn({ outboxId: row.id, attempts: row.attempts, delayMs: decision.delayMs, error: failure.message }, 'delivery failed, will retry');
        return;
      case 'dead':
        await store.markDead(claim, failure.message, now());
        report.dead++;
        metrics.dead(labels);
        logger.error({ outboxId: row.id, attempts: row.attempts, error: failure.message }, 'delivery dead-lettered');
        return;
      case 'give_up':
        await store.markDelivered(claim, 'skipped', JSON.stringify({ reason: failure.message }), now());
        metrics.delivered(labels, 'skipped');
        return;
      case 'pause':
        await store.release(claim, now(), failure.message);
        if (!paused) {
          logger.error({ error: failure.message }, 'Dub refused the API key (401/403): delivery PAUSED, events stay pending; check DUB_API_KEY and the workspace plan');
        }
        paused = { reason: failure.message, probeAt: now() + pauseProbeMs };
        metrics.paused(true);
        return;
    }
  }

  async function drainOnce(): Promise<DrainReport> {
    const report: DrainReport = { attempted: 0, delivered: 0, retried: 0, dead: 0 };
    while (!stopping) {
      if (paused && now() < paused.probeAt) break;
      const limit = paused ? 1 : options.concurrency * 4;
      const rows = await store.claimDue(now(), limit, options.leaseMs);
      if (rows.length === 0) break;
      const queue = [...rows];
      const workers = Array.from({ length: Math.min(options.concurrency, queue.length) }, async () => {
        for (let row = queue.shift(); row; row = queue.shift()) {
          if (stopping) {
            await store.release({ id: row.id, attempts: row.attempts }, now(), 'shutting down');
            continue;
          }
          await deliver(row, report);
        }
      });
      await Promise.all(workers);
      if (!paused) metrics.paused(false);
    }
    return report;
  }

  function drain(): Promise<DrainReport> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      const total: DrainReport = { attempted: 0, delivered: 0, retried: 0, dead: 0 };
      try {
        do {
          again = false;
          const report = await drainOnce();
          total.attempted += report.attempted;
          total.delivered += report.delivered;
          total.retried += report.retried;
          total.dead += report.dead;
        } while (again && !stopping);
      } finally {
        running = null;
      }
      return total;
    })();
    return running;
  }

  return {
    drain,
    /** Starts a drain in the background; errors are logged, never thrown at the caller. */
    kick(): void {
      drain().catch((error: unknown) => logger.error({ error: (error as Error).message }, 'dispatcher drain failed'));
    },
    status(): DispatcherStatus {
      return { paused: paused !== null, pausedReason: paused?.reason ?? null, inFlight };
    },
    /** Stops claiming new rows and waits (up to `graceMs`) for in-flight deliveries. */
    async stop(graceMs: number): Promise<void> {
      stopping = true;
      if (running) await Promise.race([running.catch(() => undefined), sleep(graceMs)]);
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
