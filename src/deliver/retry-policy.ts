import type { DeliveryFailure } from './outcome.js';

export interface RetryPolicy {
  maxAttempts: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
}

/** What the dispatcher does with a failed attempt. */
export type RetryDecision =
  /** Try again after `delayMs`; the attempt counts toward `maxAttempts`. */
  | { action: 'retry'; delayMs: number }
  /** Dub asked us to slow down (429): try again after `delayMs` without counting an attempt. */
  | { action: 'defer'; delayMs: number }
  /** Trying again cannot help: keep the row with its error for replay. */
  | { action: 'dead' }
  /** A dependency never appeared (a refund whose sale the bridge never saw): recorded, not an error. */
  | { action: 'give_up' }
  /** Blocked by other work in progress: look again after `delayMs`, without counting an attempt. */
  | { action: 'wait'; delayMs: number }
  /** The key is bad or the plan does not allow tracking: stop sending, keep rows pending. */
  | { action: 'pause' };

/**
 * The upper bound of the wait after failed attempt number `attempts` (1-based): base, doubling
 * each attempt, capped. The actual wait is uniform in [0, bound) ("full jitter").
 */
export function backoffCeiling(attempts: number, policy: RetryPolicy): number {
  return Math.min(policy.maxBackoffMs, policy.baseBackoffMs * 2 ** Math.max(0, attempts - 1));
}

/** Statuses where trying again later can help, besides every 5xx. */
const RETRYABLE_STATUS = new Set([408, 429]);

/**
 * The one place that decides whether a failure is retried, dead-lettered or pauses delivery:
 * network errors, timeouts, 408, 429 and 5xx are retried; 401/403 pause; any other 4xx (400,
 * 404, 422, ...) and stored commands that fail validation are dead letters. Backoff is exponential
 * with full jitter; a server's Retry-After wins when it asks for longer. A 429 does not use up
 * an attempt: being throttled says nothing about the event, so a backlog never dead-letters on it.
 */
export function decide(failure: DeliveryFailure, attempts: number, policy: RetryPolicy, random: () => number = Math.random): RetryDecision {
  if (failure.kind === 'invalid') return { action: 'dead' };
  if (failure.kind === 'blocked') {
    return { action: 'wait', delayMs: Math.max(policy.baseBackoffMs, Math.floor(random() * backoffCeiling(attempts + 1, policy))) };
  }
  const serverAsked = failure.kind === 'http' ? (failure.retryAfterMs ?? 0) : 0;
  if (failure.kind === 'http') {
    if (failure.status === 401 || failure.status === 403) return { action: 'pause' };
    if (failure.status === 429) {
      return { action: 'defer', delayMs: Math.max(serverAsked, Math.floor(random() * policy.baseBackoffMs)) };
    }
    const retryable = failure.status >= 500 || RETRYABLE_STATUS.has(failure.status);
    if (!retryable) return { action: 'dead' };
  }
  if (attempts >= policy.maxAttempts) return { action: failure.kind === 'waiting' ? 'give_up' : 'dead' };
  const jittered = Math.floor(random() * backoffCeiling(attempts, policy));
  return { action: 'retry', delayMs: Math.max(jittered, serverAsked) };
}
