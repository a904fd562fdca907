/**
 * Spaces calls evenly so a backlog drains at Dub's per-minute limit instead of in bursts that
 * end in 429s. The limit is per process: two bridges on one key should each get half.
 */
export function createRateLimiter(perMinute: number, now: () => number) {
  const spacingMs = 60_000 / perMinute;
  let nextSlot = 0;
  return {
    /**
     * Books the next free slot if it starts within `maxWaitMs`: `{ waitMs }` until it starts.
     * Otherwise books nothing and says when the next slot is (`{ notBefore }`).
     */
    reserve(maxWaitMs: number): { waitMs: number } | { notBefore: number } {
      const current = now();
      const slot = Math.max(current, nextSlot);
      if (slot - current > maxWaitMs) return { notBefore: slot };
      nextSlot = slot + spacingMs;
      return { waitMs: slot - current };
    },
    /** After a 429, nothing is sent before Dub's reset time. */
    holdUntil(time: number): void {
      nextSlot = Math.max(nextSlot, time);
    },
  };
}
