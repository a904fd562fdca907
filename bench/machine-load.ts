import { readFileSync } from 'node:fs';

/**
 * The machine's CPU use from /proc/stat, to see (and wait out) other work on a shared machine:
 * on 2 cores, a test suite someone else runs takes CPU from the pinned server and the load
 * generator, and both lose throughput without using more CPU per request. Linux only; elsewhere
 * every reading is null and nothing waits.
 */
export interface CpuTimes {
  /** Seconds of CPU spent busy (everything but idle and iowait), all cores together. */
  busyS: number;
  atMs: number;
}

const TICKS_PER_S = 100; // USER_HZ, 100 on every Linux the bench runs on

export function cpuTimes(): CpuTimes | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
    return { busyS: (user! + nice! + system! + irq! + softirq! + steal!) / TICKS_PER_S, atMs: performance.now() };
  } catch {
    return null;
  }
}

/** Cores' worth of CPU used between two readings, minus `ownS` seconds of our own processes. */
export function othersCores(before: CpuTimes | null, after: CpuTimes | null, ownS: number): number | null {
  if (!before || !after) return null;
  const wallS = (after.atMs - before.atMs) / 1000;
  return wallS > 0 ? Math.max(0, (after.busyS - before.busyS - ownS) / wallS) : null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits, at most `maxWaitS`, for a second in which other processes use less than `threshold`
 * cores (nothing of the bench runs while it waits). Returns what they used in the last second.
 */
export async function waitForQuiet(maxWaitS: number, threshold: number, log: (line: string) => void): Promise<number | null> {
  const deadline = performance.now() + maxWaitS * 1000;
  let warned = false;
  for (;;) {
    const before = cpuTimes();
    await sleep(1000);
    const used = othersCores(before, cpuTimes(), 0);
    if (used === null || used < threshold) return used;
    if (performance.now() >= deadline) {
      log(`other processes still use ${used.toFixed(2)} cores after ${maxWaitS}s: measuring anyway (see "others" in the table)`);
      return used;
    }
    if (!warned) log(`other processes use ${used.toFixed(2)} cores: waiting up to ${maxWaitS}s for a quieter moment`);
    warned = true;
  }
}
