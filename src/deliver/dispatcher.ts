import type { Claim, Store } from '../db/store.js';
import type { OutboxRow } from '../db/schema.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { DeliveryOutcome } from './outcome.js';
import { createKeyGates, type KeyGates } from './key-gates.js';
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
  /**
   * Runs before each claim: maps received events into outbox rows (record-first ingest), so every
   * path that delivers (after an ack, the sweeper, the Cron) maps what is waiting first.
   */
  beforeClaim?: () => Promise<unknown>;
  /** Tenants whose rows are never claimed (null = DUB_API_KEY, when it is not set): they stay pending. */
  withoutKey?: ReadonlyArray<string | null>;
  /** Per-key rate limits and pauses; in this process when absent (the Worker shares them through a Durable Object). */
  gates?: KeyGates;
  /** Which rows a claim may lease (same arguments as `store.claimDue`); every due row when absent. */
  claim?: Store['claimDue'];
  logger: Logger;
  metrics: Metrics;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
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

const emptyReport = (): DrainReport => ({ attempted: 0, delivered: 0, retried: 0, dead: 0 });
const claimOf = (row: OutboxRow): Claim => ({ id: row.id, attempts: row.attempts, leaseUntil: row.leaseUntil });

/**
 * Delivers due outbox rows: `concurrency` workers take leased rows, wait for a rate-limit slot,
 * call Dub and mark the row by what the retry policy decides. Rows are claimed up to
 * `concurrency` at a time by one query that serves every idle worker (a claim per row would cost
 * a commit per row). `kick()` starts a drain in the background (after an ack, from the sweeper);
 * `drain()` runs one to completion (Workers' waitUntil, tests).
 */
export function createDispatcher(options: DispatcherOptions) {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const { store, logger, metrics, policy, leaseMs } = options;
  const pauseProbeMs = options.pauseProbeMs ?? 60_000;
  // Each Dub key (the default, or a tenant's) has its own rate limit and its own pause.
  const gates = options.gates ?? createKeyGates({ ratePerMinute: options.ratePerMinute, pauseProbeMs, now, logger, metrics });
  const claimDue = options.claim ?? ((...args: Parameters<Store['claimDue']>) => store.claimDue(...args));
  const keyOf = (row: OutboxRow) => row.tenant ?? '';
  // Workers run while there is due work; a kick tops them up to `concurrency`, so one slow call
  // never keeps new rows waiting for the others.
  let workers = 0;
  let running: { done: Promise<DrainReport>; finish: (report: DrainReport) => void; report: DrainReport } | null = null;
  let stopping = false;
  const inFlight = new Map<number, Claim>();
  // Claimed rows no worker has taken yet, and the claim query in progress (one at a time).
  let claimed: OutboxRow[] = [];
  let claiming: Promise<number> | null = null;
  // Refunds read and raise the ledger's refunded amount; one at a time keeps that consistent.
  let refundChain: Promise<unknown> = Promise.resolve();

  async function run(row: OutboxRow): Promise<DeliveryOutcome> {
    const call = () => options.execute(row);
    try {
      return row.kind === 'refund' ? ((await (refundChain = refundChain.then(call, call))) as DeliveryOutcome) : await call();
    } catch (error) {
      return { ok: false, failure: { kind: 'network', message: `unexpected: ${(error as Error).message}` } };
    }
  }

  /** Records what happened to one attempt, as the retry policy decides. */
  async function settle(row: OutboxRow, claim: Claim, outcome: DeliveryOutcome, report: DrainReport): Promise<void> {
    report.attempted++;
    const labels = { source: row.source, kind: row.kind };
    if (outcome.ok) {
      await store.markDelivered(claim, outcome.state, outcome.summary, now());
      report.delivered++;
      metrics.delivered(labels, outcome.state);
      logger.debug({ outboxId: row.id, kind: row.kind, state: outcome.state, attempts: row.attempts }, 'delivered');
      await gates.resume(keyOf(row), row.id);
      return;
    }
    const { failure } = outcome;
    const decision = decide(failure, row.attempts, policy, options.random);
    const fields = { outboxId: row.id, kind: row.kind, attempts: row.attempts, error: failure.message };
    switch (decision.action) {
      case 'retry':
        await store.markRetry(claim, now() + decision.delayMs, failure.message);
        report.retried++;
        metrics.retried(labels);
        logger.warn({ ...fields, delayMs: decision.delayMs }, 'delivery failed, will retry');
        return;
      case 'defer':
        // Nothing goes to Dub before its reset time, from any worker.
        await gates.limiter(keyOf(row)).holdUntil(now() + decision.delayMs);
        await store.release(claim, now() + decision.delayMs, failure.message);
        report.retried++;
        metrics.retried(labels);
        logger.warn({ ...fields, delayMs: decision.delayMs }, 'Dub rate limit reached (429): waiting for its reset');
        return;
      case 'wait':
        await store.release(claim, now() + decision.delayMs, failure.message);
        logger.debug({ ...fields, delayMs: decision.delayMs }, 'delivery waits for other work to finish');
        return;
      case 'dead':
        await store.markDead(claim, failure.message, now());
        report.dead++;
        metrics.dead(labels);
        logger.error(fields, 'delivery dead-lettered (replay with `dub-bridge replay`)');
        return;
      case 'give_up':
        await store.markDelivered(claim, 'skipped', JSON.stringify({ reason: failure.message }), now());
        metrics.delivered(labels, 'skipped');
        return;
      case 'pause':
        await store.release(claim, now(), failure.message);
        await gates.pause(keyOf(row), failure.message);
        return;
    }
  }

  /**
   * Delivers one claimed row. False when the worker should stop: the row went back unsent
   * (shutting down, or the rate limit's next slot lies beyond half the lease).
   */
  async function deliver(row: OutboxRow, report: DrainReport): Promise<boolean> {
    const claim = claimOf(row);
    const key = keyOf(row);
    const admission = await gates.admit(key);
    if (!admission.send) {
      // Its key is paused and another row probes it: back to the queue, attempt not counted.
      await store.release(claim, now(), admission.reason);
      return true;
    }
    // Half the lease is left for the call itself (DUB_TIMEOUT_MS should fit in it); the rest of
    // what is left of the lease (a row may have waited for a worker) may go to the rate limit.
    const budget = (row.leaseUntil ?? 0) - now() - leaseMs / 2;
    const slot = budget >= 0 ? await gates.limiter(key).reserve(budget) : { notBefore: now() };
    if ('notBefore' in slot || stopping) {
      const nextAttemptAt = 'notBefore' in slot ? slot.notBefore : now();
      const reason = stopping ? 'shutting down' : 'waiting for a rate-limit slot';
      // The key's other claimed rows cannot go sooner either.
      const sameKey = claimed.filter((other) => keyOf(other) === key);
      claimed = claimed.filter((other) => keyOf(other) !== key);
      await Promise.all([row, ...sameKey].map((r) => store.release(claimOf(r), nextAttemptAt, reason)));
      if (admission.probe) await gates.probeInconclusive(key, true);
      return false;
    }
    if (slot.waitMs > 0) await sleep(slot.waitMs);
    if (stopping) {
      await store.release(claim, now(), 'shutting down');
      return false;
    }
    inFlight.set(row.id, claim);
    const outcome = await run(row);
    inFlight.delete(row.id);
    try {
      await settle(row, claim, outcome, report);
    } catch (error) {
      // The lease runs out and the row is sent again; Dub's idempotency absorbs the repeat.
      logger.error({ outboxId: row.id, error: (error as Error).message }, 'could not record a delivery result');
    }
    if (admission.probe) await gates.probeInconclusive(key);
    return true;
  }

  /** The next claimed row for a worker, claiming a batch when none is left; undefined when nothing is due. */
  async function nextRow(): Promise<OutboxRow | undefined> {
    while (!stopping) {
      const row = claimed.shift();
      if (row) return row;
      // A paused key's rows stay put; once per pauseProbeMs one of them probes the key.
      const pending = (claiming ??= Promise.resolve(options.beforeClaim?.())
        .then(() => gates.onHold())
        .then((held) => claimDue(now(), options.concurrency, leaseMs, [...held, ...(options.withoutKey ?? [])]))
        .then((rows) => claimed.push(...rows))
        .finally(() => (claiming = null)));
      if ((await pending) === 0) return undefined;
    }
    return undefined;
  }

  async function worker(report: DrainReport): Promise<void> {
    for (let row = await nextRow(); row; row = await nextRow()) {
      if (!(await deliver(row, report))) return;
    }
  }

  function drain(): Promise<DrainReport> {
    if (!running) {
      let finish!: (report: DrainReport) => void;
      const done = new Promise<DrainReport>((resolve) => (finish = resolve));
      running = { done, finish, report: emptyReport() };
    }
    const current = running;
    while (!stopping && workers < options.concurrency) {
      workers++;
      worker(current.report)
        .catch((error: unknown) => logger.error({ error: (error as Error).message }, 'delivery worker failed'))
        .finally(() => {
          if (--workers > 0) return;
          // Another key's rows are still claimed (this key ran out of rate-limit slots): go on.
          if (claimed.length && !stopping) return void drain();
          running = null;
          current.finish(current.report);
        });
    }
    if (workers === 0) {
      running = null;
      current.finish(current.report);
    }
    return current.done;
  }

  return {
    drain,
    /** Starts a drain in the background; errors are logged, never thrown at the caller. */
    kick(): void {
      void drain();
    },
    status(): DispatcherStatus {
      return { ...gates.status(), inFlight: inFlight.size };
    },
    /** Stops claiming new rows and waits (up to `graceMs`) for in-flight deliveries. */
    async stop(graceMs: number): Promise<void> {
      stopping = true;
      if (running) await Promise.race([running.done, sleep(graceMs)]);
    },
    /**
     * After `stop`: gives rows whose call has not finished back to the queue, so a restart sends
     * them at once instead of after their lease. Returns how many.
     */
    async releaseUnfinished(): Promise<number> {
      // Rows whose call has not finished, and rows claimed but not yet taken by a worker.
      const claims = [...inFlight.values(), ...claimed.map(claimOf)];
      inFlight.clear();
      claimed = [];
      const released = await Promise.all(claims.map((claim) => store.release(claim, now(), 'interrupted by shutdown')));
      return released.filter(Boolean).length;
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
