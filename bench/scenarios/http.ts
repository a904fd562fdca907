import { startChild, type ChildServer } from '../child.js';
import type { BenchContext } from '../context.js';
import type { SignedRequest } from '../events.js';
import { runLoad, type LoadResult } from '../load.js';

export interface HttpResult {
  kind: 'http';
  name: string;
  label: string;
  connections: number;
  overallRate: number | null;
  load: LoadResult;
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
  overallRate?: number;
  notes: string;
  /** Helpers the server needs (fake Dub), started before it and stopped after. */
  helpers?: () => Promise<{ env: Record<string, string>; stop: () => Promise<void> }>;
  /** Reads what the server stored, once it stopped. */
  recorded?: () => number;
}

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
    // autocannon's overallRate gives each connection a per-second quota that it sends back to
    // back at the start of every second: connections = the depth of those bursts. Ten carry
    // 1,000 req/s at a few ms each without turning the fixed-rate run into a burst test.
    const connections = scenario.overallRate ? Math.min(options.connections, 10) : options.connections;
    const base = {
      url: `http://127.0.0.1:${server.port}`,
      path: scenario.path,
      connections,
      next: scenario.next,
      ...(scenario.overallRate ? { overallRate: scenario.overallRate } : {}),
    };
    ctx.log(`${scenario.name}: warm-up ${options.warmupS}s, then ${options.durationS}s measured`);
    const warmup = await runLoad({ ...base, durationS: options.warmupS });
    const cpuBefore = await server.ask<number>('cpu');
    const load = await runLoad({ ...base, durationS: options.durationS });
    const serverCpuUs = ((await server.ask<number>('cpu')) - cpuBefore) / Math.max(load.ok, 1);
    await server.stop();
    return {
      kind: 'http',
      name: scenario.name,
      label: scenario.label,
      connections,
      overallRate: scenario.overallRate ?? null,
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
