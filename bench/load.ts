import type { SignedRequest } from './events.js';
import { toWire, WireConnection } from './http-wire.js';

export interface LoadOptions {
  url: string;
  path: string;
  connections: number;
  /** Seconds; with `amount`, the hard upper bound of the run. */
  durationS: number;
  amount?: number;
  next: () => SignedRequest;
  /** Called about once a second with the number of answers so far (soak sampling). */
  onTick?: (answered: number) => void;
}

/** Milliseconds, measured per request with sub-millisecond precision. */
export interface Latency {
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

export interface LoadResult {
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  durationS: number;
  rps: number;
  /** Ack latency of 2xx answers. */
  latency: Latency;
  /** The load generator's own CPU time (this process) per 2xx answer, µs: it must stay well under the server's. */
  generatorCpuUs: number;
}

export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Sorts `values` in place and summarises them. */
export function summarise(values: Float64Array): Latency {
  const sorted = values.sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted[sorted.length - 1] ?? NaN, mean: sum / sorted.length };
}

/** Reads one load's target: only 127.0.0.1 is ever loaded. */
export function targetPort(url: string): number {
  const target = new URL(url);
  if (target.hostname !== '127.0.0.1') throw new Error(`load only targets 127.0.0.1, got ${target.hostname}`);
  return Number(target.port);
}

/** A growable list of latencies (ms). */
export function latencyLog() {
  let values = new Float64Array(1 << 16);
  let count = 0;
  return {
    push(value: number) {
      if (count === values.length) {
        const grown = new Float64Array(values.length * 2);
        grown.set(values);
        values = grown;
      }
      values[count++] = value;
    },
    summary: () => summarise(values.subarray(0, count)),
  };
}

/** How long in-flight requests may take to answer once the run stopped issuing new ones. */
const STOP_GRACE_MS = 10_000;

/**
 * One bounded closed-loop load against 127.0.0.1: `connections` kept-alive sockets, each sending
 * its next request as soon as the previous one is answered, until `durationS` passed (or `amount`
 * requests were sent). Every request is a new one from `next()`, serialised and signed here.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const port = targetPort(options.url);
  const latencies = latencyLog();
  let sent = 0;
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let stopped = false;
  let lastAnswerAt = 0;
  const cpuBefore = process.cpuUsage();
  const t0 = performance.now();
  const connections = Array.from({ length: options.connections }, () => new WireConnection(port));
  let ticker: ReturnType<typeof setInterval> | undefined;
  let deadline: ReturnType<typeof setTimeout> | undefined;
  let grace: ReturnType<typeof setTimeout> | undefined;
  await new Promise<void>((resolve) => {
    let active = connections.length;
    const finish = () => {
      clearInterval(ticker);
      clearTimeout(deadline);
      clearTimeout(grace);
      resolve();
    };
    const issue = (connection: WireConnection) => {
      if (stopped || (options.amount !== undefined && sent >= options.amount)) {
        if (--active === 0) finish();
        return;
      }
      sent++;
      const request = toWire(port, options.path, options.next());
      const sentAt = performance.now();
      connection.send(request, (status, error) => {
        lastAnswerAt = performance.now();
        if (error) errors++;
        else if (status >= 200 && status < 300) {
          ok++;
          latencies.push(lastAnswerAt - sentAt);
        } else non2xx++;
        // After a failure, a pause: a refused connection must not turn into a busy loop.
        if (error) setTimeout(() => issue(connection), 10);
        else issue(connection);
      });
    };
    for (const connection of connections) issue(connection);
    if (options.onTick) ticker = setInterval(() => options.onTick!(ok), 1000);
    deadline = setTimeout(() => {
      stopped = true;
      // Answers still due after the grace count as errors, and the run ends without them.
      grace = setTimeout(() => {
        errors += active;
        finish();
      }, STOP_GRACE_MS);
    }, options.durationS * 1000);
  });
  for (const connection of connections) connection.close();
  const cpu = process.cpuUsage(cpuBefore);
  const durationS = (Math.max(lastAnswerAt, t0 + 1) - t0) / 1000;
  return { sent, ok, non2xx, errors, durationS, rps: ok / durationS, latency: latencies.summary(), generatorCpuUs: (cpu.user + cpu.system) / Math.max(ok, 1) };
}
