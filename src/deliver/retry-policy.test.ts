import { describe, expect, it } from 'vitest';
import { configSchema } from '../config.js';
import type { DeliveryFailure } from './outcome.js';
import { backoffCeiling, decide, type RetryPolicy } from './retry-policy.js';

const policy: RetryPolicy = { maxAttempts: 5, baseBackoffMs: 1000, maxBackoffMs: 10_000 };
const http = (status: number, retryAfterMs: number | null = null): DeliveryFailure => ({ kind: 'http', status, message: `${status}`, retryAfterMs });
const top = () => 0.999999;

describe('decide: which failures are retried, dead-lettered or pause delivery', () => {
  it.each([
    ['a network error', { kind: 'network', message: 'ECONNRESET' } as DeliveryFailure],
    ['a timeout', { kind: 'timeout', message: 'Dub did not answer within 10000 ms' } as DeliveryFailure],
    ['408', http(408)],
    ['500', http(500)],
    ['502', http(502)],
    ['503', http(503)],
  ])('retries %s', (_name, failure) => {
    expect(decide(failure, 1, policy).action).toBe('retry');
  });

  it.each([400, 404, 409, 410, 422])('dead-letters %i: the same request cannot succeed later', (status) => {
    expect(decide(http(status), 1, policy)).toEqual({ action: 'dead' });
  });

  it.each([401, 403])('pauses on %i instead of dead-lettering', (status) => {
    expect(decide(http(status), 1, policy)).toEqual({ action: 'pause' });
  });

  it('dead-letters a stored command that fails validation without trying again', () => {
    expect(decide({ kind: 'invalid', message: 'bad' }, 1, policy)).toEqual({ action: 'dead' });
  });

  it('a retryable failure on the last attempt becomes a dead letter', () => {
    expect(decide(http(503), policy.maxAttempts, policy)).toEqual({ action: 'dead' });
  });

  it('a refund still waiting for its sale after the last attempt is given up (recorded as skipped)', () => {
    const waiting: DeliveryFailure = { kind: 'waiting', message: 'sale not seen' };
    expect(decide(waiting, 1, policy).action).toBe('retry');
    expect(decide(waiting, policy.maxAttempts, policy)).toEqual({ action: 'give_up' });
  });

  it('a refund blocked by its pending sale waits without using up attempts, even past the last one', () => {
    const blocked: DeliveryFailure = { kind: 'blocked', message: 'sale in_1 is not delivered to Dub yet' };
    const decision = decide(blocked, policy.maxAttempts + 3, policy, top);
    expect(decision).toEqual({ action: 'wait', delayMs: 9999 });
  });

  it("a 429 waits for Dub's reset and never uses up the attempts, even on the last one", () => {
    expect(decide(http(429, 42_000), 1, policy, top)).toEqual({ action: 'defer', delayMs: 42_000 });
    expect(decide(http(429, 42_000), policy.maxAttempts, policy, top)).toEqual({ action: 'defer', delayMs: 42_000 });
    // Without a reset time: a jittered wait up to the base delay.
    const decision = decide(http(429), 3, policy, () => 0.5);
    expect(decision).toEqual({ action: 'defer', delayMs: 500 });
  });
});

describe('backoff: exponential with full jitter, Retry-After wins when longer', () => {
  it('doubles the ceiling from the base each attempt, up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffCeiling(n, policy))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('draws the delay uniformly between 0 and the ceiling', () => {
    expect(decide(http(503), 3, policy, () => 0)).toEqual({ action: 'retry', delayMs: 0 });
    expect(decide(http(503), 3, policy, () => 0.5)).toEqual({ action: 'retry', delayMs: 2000 });
    expect(decide(http(503), 3, policy, top)).toEqual({ action: 'retry', delayMs: 3999 });
  });

  it('waits at least as long as a 5xx Retry-After asks', () => {
    expect(decide(http(503, 30_000), 1, policy, () => 0.5)).toEqual({ action: 'retry', delayMs: 30_000 });
    expect(decide(http(503, 10), 3, policy, () => 0.5)).toEqual({ action: 'retry', delayMs: 2000 });
  });

  it('with the default settings retries for at most about 12 hours (6 on average) before a dead letter', () => {
    const defaults = configSchema.parse({});
    const settings: RetryPolicy = {
      maxAttempts: defaults.DELIVERY_MAX_ATTEMPTS,
      baseBackoffMs: defaults.DELIVERY_BASE_BACKOFF_MS,
      maxBackoffMs: defaults.DELIVERY_MAX_BACKOFF_MS,
    };
    const ceilings = Array.from({ length: settings.maxAttempts - 1 }, (_, i) => backoffCeiling(i + 1, settings));
    const totalSeconds = ceilings.reduce((a, b) => a + b, 0) / 1000;
    expect(ceilings.slice(0, 3)).toEqual([1000, 2000, 4000]);
    expect(ceilings.at(-1)).toBe(3_600_000);
    expect(totalSeconds).toBe(43_695);
  });
});
