/**
 * Spaces calls evenly so a backlog drains at Dub's per-minute limit instead of in bursts that
 * end in 429s. `take()` resolves when the next call may start.
 */
export function createRateLimiter(perMinute: number, now: () => number, sleep: (ms: number) => Promise<void>) {
  const spacingMs = 60_000 / perMinute;
  let nextSlot = 0;
  return {
    async take(): Promise<void> {
      const current = now();
      const slot = Math.max(current, nextSlot);
      nextSlot = slot + spacingMs;
      if (slot > current) await sleep(slot - current);
    },
    /** After a 429, nothing is sent before Dub's reset time. */
    holdUntil(time: number): void {
      nextSlot = Math.max(nextSlot, time);
    },
  };
}
