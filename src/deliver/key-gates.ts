import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { createRateLimiter } from './rate-limiter.js';

/** What a claimed row of a Dub key may do now. */
export type Admission = { send: true; probe: boolean } | { send: false; reason: string };

type Awaitable<T> = T | Promise<T>;

/** A rate-limit slot: booked, starting in `waitMs`; or not booked, the next free one at `notBefore`. */
export type Slot = { waitMs: number } | { notBefore: number };

/**
 * What the dispatcher asks before and after each Dub call, per Dub key (`''` = DUB_API_KEY, else a
 * tenant id). `createKeyGates` keeps it in this process (Node); the Worker passes gates shared by
 * every isolate through a Durable Object per key, so any method may answer with a promise.
 */
export interface KeyGates {
  limiter(key: string): { reserve(maxWaitMs: number): Awaitable<Slot>; holdUntil(time: number): Awaitable<void> };
  onHold(): Awaitable<Array<string | null>>;
  admit(key: string): Awaitable<Admission>;
  probeInconclusive(key: string, retryNow?: boolean): Awaitable<void>;
  pause(key: string, reason: string): Awaitable<void>;
  resume(key: string, outboxId: number): Awaitable<void>;
  status(): { paused: boolean; pausedReason: string | null };
}

export interface KeyGateOptions {
  ratePerMinute: number;
  /** While a key is refused, how often one row probes it again. */
  pauseProbeMs: number;
  now: () => number;
  logger: Logger;
  metrics: Metrics;
}

/**
 * Per Dub key (`''` = DUB_API_KEY, else a tenant id): its rate limiter, and whether Dub refused it
 * (401/403). A refused key's rows stay pending; once per probe interval one row tries the key.
 */
export function createKeyGates(options: KeyGateOptions): KeyGates {
  const { now, logger, metrics, pauseProbeMs } = options;
  const limiters = new Map<string, ReturnType<typeof createRateLimiter>>();
  const paused = new Map<string, { reason: string; probeAt: number; probing: boolean }>();
  const tenantField = (key: string) => (key ? { tenant: key } : {});

  return {
    limiter(key: string) {
      let limiter = limiters.get(key);
      if (!limiter) limiters.set(key, (limiter = createRateLimiter(options.ratePerMinute, now)));
      return limiter;
    },

    /** Keys whose rows are not claimed now (null = DUB_API_KEY): paused, not yet or already probed. */
    onHold(): Array<string | null> {
      const held: Array<string | null> = [];
      for (const [key, pause] of paused) if (pause.probing || now() < pause.probeAt) held.push(key === '' ? null : key);
      return held;
    },

    /** A claimed row of `key`: send it, send it as the probe of a paused key, or give it back. */
    admit(key: string): Admission {
      const pause = paused.get(key);
      if (!pause) return { send: true, probe: false };
      if (pause.probing || now() < pause.probeAt) return { send: false, reason: pause.reason };
      pause.probing = true;
      return { send: true, probe: true };
    },

    /** The probe ended without proving or disproving the key (5xx, timeout, sent back): try later. */
    probeInconclusive(key: string, retryNow = false): void {
      const pause = paused.get(key);
      if (!pause?.probing) return;
      pause.probing = false;
      if (!retryNow) pause.probeAt = now() + pauseProbeMs;
    },

    pause(key: string, reason: string): void {
      if (!paused.has(key)) {
        logger.error(
          { error: reason, ...tenantField(key) },
          'Dub refused the API key (401/403): delivery PAUSED, events stay pending; check DUB_API_KEY and the workspace plan',
        );
      }
      paused.set(key, { reason, probeAt: now() + pauseProbeMs, probing: false });
      metrics.paused(true);
    },

    resume(key: string, outboxId: number): void {
      if (!paused.delete(key)) return;
      logger.info({ outboxId, ...tenantField(key) }, 'Dub accepted the API key again: delivery resumed');
      metrics.paused(paused.size > 0);
    },

    status(): { paused: boolean; pausedReason: string | null } {
      const reasons = [...paused].map(([key, p]) => (key ? `tenant ${key}: ${p.reason}` : p.reason));
      return { paused: paused.size > 0, pausedReason: reasons.length ? reasons.join('; ') : null };
    },
  };
}
