import { startChild, type ChildServer } from '../child.js';
import { cpuTimes, othersCores, waitForQuiet } from '../machine-load.js';
import type { BenchContext } from '../context.js';
import type { SignedRequest } from '../events.js';
import { runLoad, type LoadResult } from '../load.js';
import { runOpenLoad, type OpenLoadResult } from '../open-loop.js';

export interface HttpResult {
  kind: 'http';
  name: string;
  label: string;
  /** Closed loop: requests kept in flight; null for open-loop runs (their `load` has `peakSockets`). */
  connections: number | null;
  load: LoadResult | OpenLoadResult;
  /** The server's CPU time (user + system) per acknowledged request of the measured run. */
  serverCpuUs: number;
  /** The server's CPU time over the measured run's wall time: ~1 when one core was its limit. */
  serverBusy: number;
  /** 2xx answers including warm-up, and what the server says it stored for them. */
  acknowledged: number;
  recorded: number | null;
  /** Bridge runs: inbox rows by state once it stopped (`received` = acknowledged, not mapped yet). */
  inboxByState: Record<string, number> | null;
  /** Cores' worth of CPU that processes other than the bench's used during the measured run. */
  othersCores: number | null;
  /**
   * Bridge runs that map after the ack: events still unmapped when the measured run ended, how
   * long the bridge then took to map them, and acknowledged-and-mapped events per second over
   * run + drain (the rate it can sustain; the run started with nothing left to map).
   */
  mapping: { leftAfterRun: number; drainS: number; sustainedRps: number } | null;
  notes: string;
}

export interface HttpScenario {
  name: string;
  label: string;
  server: string;
  env?: Record<string, string>;
  path: string;
  next: () => SignedRequest;
  /** Open loop: requests arrive at this rate (per second) instead of as fast as the server answers. */
  rate?: number;
  notes: string;
  /** Helpers the server needs (fake Dub), started before it and stopped after. */
  helpers?: () => Promise<{ env: Record<string, string>; stop: () => Promise<void> }>;
  /** Reads what the server stored, once it stopped. */
  recorded?: () => { inbox: number; inboxByState: Record<string, number> };
  /** Events acknowledged and not mapped yet, read while the server runs. */
  backlog?: () => number;
}

/**
 * Bounds the open-loop generator's connections: the naive handler holds each request for the fake
 * Dub's 150 ms, so 1,000 req/s keep ~150 in flight. Beyond the bound requests wait for a socket,
 * which counts in their latency from scheduled arrival.
 */
const OPEN_LOOP_MAX_SOCKETS = 512;

/** Cores other processes may use before a measured run waits for a quieter moment. */
const QUIET_CORES = 0.25;
/** Longest wait for the bridge to map what a run acknowledged. */
const DRAIN_BOUND_S = 120;

/** Seconds until `backlog()` reads 0, polled every 100 ms; Infinity past `boundS`. */
async function drained(backlog: () => number, boundS: number): Promise<number> {
  const started = performance.now();
  while (backlog() > 0) {
    if (performance.now() - started > boundS * 1000) return Number.POSITIVE_INFINITY;
    await new Promise((r) => setTimeout(r, 100));
  }
  return (performance.now() - started) / 1000;
}

/**
 * Starts the server in its own process, warms it up (JIT, connections, SQLite cache) with
 * unmeasured load, lets a bridge map the warm-up's events, waits for the machine to be quiet
 * (other engineers' test runs share the cores), then measures a fixed-length run with the same
 * request stream, and how long the bridge takes to map what it acknowledged.
 */
export async function runHttpScenario(ctx: BenchContext, scenario: HttpScenario): Promise<HttpResult> {
  const { options } = ctx;
  const helpers = await scenario.helpers?.();
  let server: ChildServer | undefined;
  try {
    server = await startChild(scenario.server, { ...scenario.env, ...helpers?.env }, ctx.serverCpu);
    const base = { url: `http://127.0.0.1:${server.port}`, path: scenario.path, next: scenario.next };
    const { rate } = scenario;
    const run = (durationS: number) =>
      rate
        ? runOpenLoad({ ...base, ratePerSecond: rate, durationS, maxSockets: OPEN_LOOP_MAX_SOCKETS })
        : runLoad({ ...base, connections: options.connections, durationS });
    ctx.log(`${scenario.name}: warm-up ${options.warmupS}s, then ${options.durationS}s measured${rate ? `, ${rate} req/s open loop` : ''}`);
    const warmup = await run(options.warmupS);
    if (scenario.backlog) await drained(scenario.backlog, DRAIN_BOUND_S);
    if (options.quietWaitS > 0) await waitForQuiet(options.quietWaitS, QUIET_CORES, ctx.log);
    const machineBefore = cpuTimes();
    const benchBefore = process.cpuUsage();
    const cpuBefore = await server.ask<number>('cpu');
    const load = await run(options.durationS);
    const serverCpu = (await server.ask<number>('cpu')) - cpuBefore;
    const bench = process.cpuUsage(benchBefore);
    const others = othersCores(machineBefore, cpuTimes(), (serverCpu + bench.user + bench.system) / 1e6);
    const serverCpuUs = serverCpu / Math.max(load.ok, 1);
    const leftAfterRun = scenario.backlog?.() ?? 0;
    const drainS = scenario.backlog ? await drained(scenario.backlog, DRAIN_BOUND_S) : 0;
    await server.stop();
    const stored = scenario.recorded?.() ?? null;
    return {
      kind: 'http',
      name: scenario.name,
      label: scenario.label,
      connections: rate ? null : options.connections,
      load,
      serverCpuUs,
      serverBusy: serverCpu / 1e6 / load.durationS,
      acknowledged: warmup.ok + load.ok,
      recorded: stored?.inbox ?? null,
      inboxByState: stored?.inboxByState ?? null,
      othersCores: others,
      mapping: scenario.backlog ? { leftAfterRun, drainS, sustainedRps: load.ok / (load.durationS + drainS) } : null,
      notes: scenario.notes,
    };
  } finally {
    await server?.stop();
    await helpers?.stop();
  }
}
