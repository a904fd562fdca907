import autocannon from 'autocannon';
import type { SignedRequest } from './events.js';

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
  /** autocannon's own p99 (whole ms); closed-loop runs only. */
  autocannonP99?: number;
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

/** Runs one bounded autocannon load (closed loop: `connections` requests in flight) against 127.0.0.1. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let ok = 0;
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationS,
    ...(options.amount ? { amount: options.amount } : {}),
    timeout: 10,
    requests: [{ method: 'POST', path: options.path, setupRequest: (request: object) => ({ ...request, ...options.next() }) }],
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
    if (status < 200 || status >= 300) return;
    ok++;
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = responseTime;
  });
  const ticker = options.onTick ? setInterval(() => options.onTick!(ok), 1000) : undefined;
  // `amount` takes precedence over `duration` in autocannon: enforce the time bound ourselves.
  const bound = options.amount ? setTimeout(() => instance.stop(), options.durationS * 1000) : undefined;
  const result = await instance;
  clearInterval(ticker);
  clearTimeout(bound);
  return {
    sent: result.requests.sent,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    durationS: result.duration,
    rps: ok / result.duration,
    latency: summarise(latencies.subarray(0, count)),
    autocannonP99: result.latency.p99,
  };
}
