import autocannon from 'autocannon';
import type { SignedRequest } from './events.js';

export interface LoadOptions {
  url: string;
  path: string;
  connections: number;
  /** Seconds; with `amount`, the hard upper bound of the run. */
  durationS: number;
  amount?: number;
  /** Fixed request rate (autocannon `overallRate`) instead of as fast as the server answers. */
  overallRate?: number;
  next: () => SignedRequest;
  /** Called about once a second with the number of answers so far (soak sampling). */
  onTick?: (answered: number) => void;
}

export interface LoadResult {
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  durationS: number;
  rps: number;
  /** Ack latency of 2xx answers in ms, measured per request with sub-millisecond precision. */
  latency: { p50: number; p99: number; max: number; mean: number };
  /** autocannon's own p99 (whole ms; corrected for coordinated omission in fixed-rate runs). */
  autocannonP99: number;
}

export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Runs one bounded autocannon load against 127.0.0.1 and summarises it. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let ok = 0;
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationS,
    ...(options.amount ? { amount: options.amount } : {}),
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
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
  const sorted = latencies.subarray(0, count).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    sent: result.requests.sent,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    durationS: result.duration,
    rps: ok / result.duration,
    latency: { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted[count - 1] ?? NaN, mean: sum / count },
    autocannonP99: result.latency.p99,
  };
}
