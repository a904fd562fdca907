import type { SignedRequest } from './events.js';
import { toWire, WireConnection } from './http-wire.js';
import { summarise, targetPort, type Latency, type LoadResult } from './load.js';

export interface OpenLoadOptions {
  /** http://127.0.0.1:<port> */
  url: string;
  path: string;
  ratePerSecond: number;
  /** Seconds of scheduled arrivals; answers get at most GRACE_MS more. */
  durationS: number;
  next: () => SignedRequest;
  /** Bound on concurrent connections; requests beyond it wait for one to free up. */
  maxSockets: number;
}

/**
 * `rps` is 2xx answers per second over the span answers came in (not diluted by the latency of
 * the first one); `durationS` runs from the first arrival to the last answer.
 */
export interface OpenLoadResult extends LoadResult {
  /** Arrival rate asked for, and sends per second achieved over the schedule. */
  rate: number;
  sendRate: number;
  /** `latency` counts from each request's scheduled arrival; this from when it got a connection. */
  sendLatency: Latency;
  /** How late the generator itself issued a request at most (its event loop, not socket waits). */
  maxLagMs: number;
  maxSockets: number;
  /** Most requests outstanding at once (waiting for a connection included), and connections opened. */
  peakInFlight: number;
  peakSockets: number;
  /** Requests still unanswered GRACE_MS after the last arrival (included in `errors`). */
  timeouts: number;
}

/** Node's timer floor: ticking alone makes an arrival at most ~1 ms late. */
const TICK_MS = 1;
/** How long answers may take after the last arrival before they count as timeouts. */
const GRACE_MS = 5_000;

/** A request whose arrival time came while every allowed connection was busy. */
interface Waiting {
  scheduledAt: number;
  wire: Buffer;
}

/** One run's state: connections, what is in flight, what came back. */
interface Run {
  port: number;
  path: string;
  next: () => SignedRequest;
  maxSockets: number;
  idle: WireConnection[];
  connections: WireConnection[];
  waiting: Waiting[];
  inFlight: number;
  /** 2xx latencies, ms: from scheduled arrival and from send. */
  fromScheduled: Float64Array;
  fromSend: Float64Array;
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  maxLagMs: number;
  peakInFlight: number;
  firstAnswerAt: number;
  lastAnswerAt: number;
}

/**
 * Open-loop load: request i arrives at t0 + i / rate whatever the server does, like webhooks from
 * Stripe and Shopify. A slow server or a late generator adds to the latency instead of lowering
 * the arrival rate (no coordinated omission). Requests go over kept-alive raw connections
 * (`http-wire.ts`, the closed loop's client): an idle one if any, a new one up to `maxSockets`,
 * else the request waits for the next connection to free up, and that wait is in its latency.
 */
export async function runOpenLoad(options: OpenLoadOptions): Promise<OpenLoadResult> {
  const port = targetPort(options.url);
  const total = Math.max(1, Math.floor(options.ratePerSecond * options.durationS));
  const run: Run = {
    port,
    path: options.path,
    next: options.next,
    maxSockets: options.maxSockets,
    idle: [],
    connections: [],
    waiting: [],
    inFlight: 0,
    fromScheduled: new Float64Array(total),
    fromSend: new Float64Array(total),
    sent: 0,
    ok: 0,
    non2xx: 0,
    errors: 0,
    maxLagMs: 0,
    peakInFlight: 0,
    firstAnswerAt: Infinity,
    lastAnswerAt: -Infinity,
  };
  const intervalMs = 1000 / options.ratePerSecond;
  const cpuBefore = process.cpuUsage();
  const t0 = performance.now();
  const lastTick = await schedule(t0, total, intervalMs, (scheduledAt) => arrive(run, scheduledAt));
  const timeouts = await drain(run, GRACE_MS);
  for (const connection of run.connections) connection.close();
  const cpu = process.cpuUsage(cpuBefore);
  // Each request owns one interval after its arrival (or answer): on schedule, both rates = rate.
  const answersS = (run.lastAnswerAt - run.firstAnswerAt + intervalMs) / 1000;
  return {
    sent: run.sent,
    ok: run.ok,
    non2xx: run.non2xx,
    errors: run.errors + timeouts,
    durationS: (Math.max(run.lastAnswerAt, lastTick) - t0) / 1000,
    rps: run.ok ? run.ok / answersS : 0,
    latency: summarise(run.fromScheduled.subarray(0, run.ok)),
    generatorCpuUs: (cpu.user + cpu.system) / Math.max(run.ok, 1),
    rate: options.ratePerSecond,
    sendRate: run.sent / ((lastTick - t0 + intervalMs) / 1000),
    sendLatency: summarise(run.fromSend.subarray(0, run.ok)),
    maxLagMs: run.maxLagMs,
    peakInFlight: run.peakInFlight,
    peakSockets: run.connections.length,
    maxSockets: options.maxSockets,
    timeouts,
  };
}

/** The request due at `scheduledAt` arrives: built and signed now, sent on a free connection or queued. */
function arrive(run: Run, scheduledAt: number): void {
  run.maxLagMs = Math.max(run.maxLagMs, performance.now() - scheduledAt);
  const waiting = { scheduledAt, wire: toWire(run.port, run.path, run.next()) };
  run.sent++;
  run.inFlight++;
  run.peakInFlight = Math.max(run.peakInFlight, run.inFlight);
  let connection = run.idle.pop();
  if (!connection && run.connections.length < run.maxSockets) {
    connection = new WireConnection(run.port);
    run.connections.push(connection);
  }
  if (connection) send(run, connection, waiting);
  else run.waiting.push(waiting);
}

/** Sends on `connection`; its send time is now (after any wait for a connection). */
function send(run: Run, connection: WireConnection, { scheduledAt, wire }: Waiting): void {
  const sentAt = performance.now();
  connection.send(wire, (status, error) => {
    run.inFlight--;
    if (error) run.errors++;
    else record(run, status, scheduledAt, sentAt);
    const next = run.waiting.shift();
    if (next) send(run, connection, next);
    else run.idle.push(connection);
  });
}

function record(run: Run, status: number, scheduledAt: number, sentAt: number): void {
  const now = performance.now();
  run.firstAnswerAt = Math.min(run.firstAnswerAt, now);
  run.lastAnswerAt = now;
  if (status < 200 || status >= 300) {
    run.non2xx++;
    return;
  }
  run.fromScheduled[run.ok] = now - scheduledAt;
  run.fromSend[run.ok++] = now - sentAt;
}

/** Every tick sends all requests due by now, so arrivals are spread evenly, not burst per second. */
function schedule(t0: number, total: number, intervalMs: number, send: (scheduledAt: number) => void): Promise<number> {
  return new Promise((resolve) => {
    let i = 0;
    const tick = () => {
      const now = performance.now();
      for (; i < total && t0 + i * intervalMs <= now; i++) send(t0 + i * intervalMs);
      if (i < total) setTimeout(tick, TICK_MS);
      else resolve(now);
    };
    tick();
  });
}

/** Waits for the answers still due, at most `graceMs`; the rest count as timeouts. */
async function drain(run: Run, graceMs: number): Promise<number> {
  const deadline = performance.now() + graceMs;
  while (run.inFlight > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  return run.inFlight;
}

export const isOpenLoad = (load: LoadResult): load is OpenLoadResult => 'sendLatency' in load;
