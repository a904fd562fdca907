import { Agent, request, type ClientRequest, type IncomingMessage } from 'node:http';
import type { SignedRequest } from './events.js';
import { summarise, type Latency, type LoadResult } from './load.js';

export interface OpenLoadOptions {
  /** http://127.0.0.1:<port> */
  url: string;
  path: string;
  ratePerSecond: number;
  /** Seconds of scheduled arrivals; answers get at most GRACE_MS more. */
  durationS: number;
  next: () => SignedRequest;
  /** Bound on concurrent connections; requests beyond it wait in the agent for a socket. */
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
  /** `latency` counts from each request's scheduled arrival; this from when it got a socket. */
  sendLatency: Latency;
  /** How late the generator itself issued a request at most (its event loop, not socket waits). */
  maxLagMs: number;
  maxSockets: number;
  /** Most requests outstanding at once (waiting for a socket included), and most sockets in use. */
  peakInFlight: number;
  peakSockets: number;
  /** Requests still unanswered GRACE_MS after the last arrival (included in `errors`). */
  timeouts: number;
}

/** Node's timer floor: ticking alone makes an arrival at most ~1 ms late. */
const TICK_MS = 1;
/** How long answers may take after the last arrival before they count as timeouts. */
const GRACE_MS = 5_000;

/** One run's state: what is in flight, what came back. */
interface Run {
  agent: Agent;
  target: URL;
  next: () => SignedRequest;
  inFlight: Set<ClientRequest>;
  /** 2xx latencies, ms: from scheduled arrival and from send. */
  fromScheduled: Float64Array;
  fromSend: Float64Array;
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  maxLagMs: number;
  peakInFlight: number;
  peakSockets: number;
  firstAnswerAt: number;
  lastAnswerAt: number;
}

/**
 * Open-loop load: request i arrives at t0 + i / rate whatever the server does, like webhooks from
 * Stripe and Shopify. A slow server or a late generator adds to the latency instead of lowering
 * the arrival rate (no coordinated omission).
 */
export async function runOpenLoad(options: OpenLoadOptions): Promise<OpenLoadResult> {
  const target = new URL(options.path, options.url);
  if (target.hostname !== '127.0.0.1') throw new Error(`open-loop load only targets 127.0.0.1, got ${target.hostname}`);
  const total = Math.max(1, Math.floor(options.ratePerSecond * options.durationS));
  const run: Run = {
    agent: new Agent({ keepAlive: true, maxSockets: options.maxSockets, maxFreeSockets: options.maxSockets }),
    target,
    next: options.next,
    inFlight: new Set(),
    fromScheduled: new Float64Array(total),
    fromSend: new Float64Array(total),
    sent: 0, ok: 0, non2xx: 0, errors: 0, maxLagMs: 0, peakInFlight: 0, peakSockets: 0,
    firstAnswerAt: Infinity, lastAnswerAt: -Infinity,
  };
  const intervalMs = 1000 / options.ratePerSecond;
  const t0 = performance.now();
  const lastTick = await schedule(t0, total, intervalMs, (scheduledAt) => send(run, scheduledAt), () => peaks(run));
  const timeouts = await drain(run.inFlight, GRACE_MS);
  run.agent.destroy();
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
    rate: options.ratePerSecond,
    sendRate: run.sent / ((lastTick - t0 + intervalMs) / 1000),
    sendLatency: summarise(run.fromSend.subarray(0, run.ok)),
    maxLagMs: run.maxLagMs,
    peakInFlight: run.peakInFlight,
    peakSockets: run.peakSockets,
    maxSockets: options.maxSockets,
    timeouts,
  };
}

/** Sends the request due at `scheduledAt`; its send time is when it gets a socket (after any wait for one). */
function send(run: Run, scheduledAt: number): void {
  run.maxLagMs = Math.max(run.maxLagMs, performance.now() - scheduledAt);
  const { headers, body } = run.next();
  const req = request(run.target, { method: 'POST', agent: run.agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } });
  let sentAt = NaN;
  const fail = () => {
    if (run.inFlight.delete(req)) run.errors++;
  };
  run.inFlight.add(req);
  run.sent++;
  req.once('socket', () => {
    sentAt = performance.now();
  });
  req.once('response', (res: IncomingMessage) => {
    res.once('error', fail);
    res.once('end', () => {
      if (run.inFlight.delete(req)) record(run, res.statusCode ?? 0, scheduledAt, sentAt);
    });
    res.resume();
  });
  req.once('error', fail);
  req.end(body);
}

function peaks(run: Run): void {
  run.peakInFlight = Math.max(run.peakInFlight, run.inFlight.size);
  const sockets = Object.values(run.agent.sockets).reduce((n, list) => n + (list?.length ?? 0), 0);
  run.peakSockets = Math.max(run.peakSockets, sockets);
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
function schedule(t0: number, total: number, intervalMs: number, send: (scheduledAt: number) => void, afterTick: () => void): Promise<number> {
  return new Promise((resolve) => {
    let i = 0;
    const tick = () => {
      const now = performance.now();
      for (; i < total && t0 + i * intervalMs <= now; i++) send(t0 + i * intervalMs);
      afterTick();
      if (i < total) setTimeout(tick, TICK_MS);
      else resolve(now);
    };
    tick();
  });
}

/** Waits for the answers still due, at most `graceMs`; aborts and counts the rest. */
async function drain(inFlight: Set<ClientRequest>, graceMs: number): Promise<number> {
  const deadline = performance.now() + graceMs;
  while (inFlight.size > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  const stragglers = [...inFlight];
  inFlight.clear();
  for (const req of stragglers) req.destroy();
  return stragglers.length;
}

export const isOpenLoad = (load: LoadResult): load is OpenLoadResult => 'sendLatency' in load;
