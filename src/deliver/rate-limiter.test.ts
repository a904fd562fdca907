import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter.js';

describe('createRateLimiter', () => {
  it('spaces slots evenly at the per-minute limit', () => {
    let clock = 1_000_000;
    const limiter = createRateLimiter(600, () => clock); // one call per 100 ms
    expect([1, 2, 3, 4].map(() => limiter.reserve(1000))).toEqual([{ waitMs: 0 }, { waitMs: 100 }, { waitMs: 200 }, { waitMs: 300 }]);
    clock += 1000;
    expect(limiter.reserve(1000)).toEqual({ waitMs: 0 });
  });

  it('books nothing when the next slot is further away than the caller can wait', () => {
    const clock = 1_000_000;
    const limiter = createRateLimiter(60, () => clock); // one call per second
    expect(limiter.reserve(500)).toEqual({ waitMs: 0 });
    expect(limiter.reserve(500)).toEqual({ notBefore: clock + 1000 });
    expect(limiter.reserve(500)).toEqual({ notBefore: clock + 1000 });
    expect(limiter.reserve(1000)).toEqual({ waitMs: 1000 });
  });

  it("holds every slot until a 429's reset time", () => {
    const clock = 1_000_000;
    const limiter = createRateLimiter(6000, () => clock);
    limiter.holdUntil(clock + 5000);
    expect(limiter.reserve(60_000)).toEqual({ waitMs: 5000 });
    expect(limiter.reserve(1000)).toEqual({ notBefore: clock + 5010 });
  });
});
