import { startChild, type ChildServer } from '../child.js';
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
  /** 2xx answers including warm-up, and what the server says it stored for them. */
  acknowledged: number;
  recorded: number | null;
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
  recorded?: () => number;
}

/**
 * Bounds the open-loop generator's connections: the naive handler holds each request for the fake
 * Dub's 150 ms, so 1,000 req/s keep ~150 in flight. Beyond the bound requests wait for a socket,
 * which counts in their latency from scheduled arrival.
 */
const OPEN_LOOP_MAX_SOCKETS = 512;

/**
 * Starts the server in its own process, warms it up (JIT, connections, SQLite cache) with
 * unmeasured load, then measures a fixed-length run with the same request stream.
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
    const cpuBefore = await server.ask<number>('cpu');
    const load = await run(options.durationS);
    const serverCpuUs = ((await server.ask<number>('cpu')) - cpuBefore) / Math.max(load.ok, 1);
    await server.stop();
    return {
      kind: 'http',
      name: scenario.name,
      label: scenario.label,
      connections: rate ? null : options.connections,
      load,
      serverCpuUs,
      acknowledged: warmup.ok + load.ok,
      recorded: scenario.recorded?.() ?? null,
      notes: scenario.notes,
    };
  } finally {
    await server?.stop();
    await helpers?.stop();
  }
}
