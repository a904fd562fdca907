import type { DeliveryFailure } from './outcome.js';

export interface RetryPolicy {
  maxAttempts: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
}

/** What the dispatcher does with a failed attempt. */
export type RetryDecision =
  | { action: 'retry'; delayMs: number }
  | { action: 'dead' }
  /** A dependency never appeared (a refund whose sale the bridge never saw): recorded, not an error. */
  | { action: 'give_up' }
  /** The key is bad or the plan does not allow tracking: stop sending, keep rows pending. */
  | { action: 'pause' };

/** Statuses where trying again later can help. */
const RETRYABLE_STATUS = new Set([408, 429]);

/**
 * The one place that decides whether a failure is retried, dead-lettered or pauses delivery.
 * Backoff is exponential with full jitter; a server's Retry-After wins when it asks for longer.
 */
export function decide(
  failure: DeliveryFailure,
  attempts: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): RetryDecision {
  if (failure.kind === 'invalid') return { action: 'dead' };
  if (failure.kind === 'http') {
    if (failure.status === 401 || failure.status === 403) return { action: 'pause' };
    const retryable = failure.status >= 500 || RETRYABLE_STATUS.has(failure.status);
    if (!retryable) return { action: 'dead' };
  }
  if (attempts >= policy.maxAttempts) return { action: failure.kind === 'waiting' ? 'give_up' : 'dead' };
  const ceiling = Math.min(policy.maxBackoffMs, policy.baseBackoffMs * 2 ** Math.max(0, attempts - 1));
  const jittered = Math.floor(random() * ceiling);
  const serverAsked = failure.kind === 'http' ? (failure.retryAfterMs ?? 0) : 0;
  return { action: 'retry', delayMs: Math.max(jittered, serverAsked, 100) };
}
