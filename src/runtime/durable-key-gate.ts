import type { DurableObjectState } from '@cloudflare/workers-types/latest/index.js';

/**
 * Dub limits each API key per minute, whoever calls: so the Worker plans its calls at a bit under
 * the configured rate, leaving room for arrival jitter (calls leave many isolates and reach Dub a
 * few milliseconds early or late). The Node limiter spaces at the rate itself: one process sends.
 */
export const RATE_HEADROOM = 0.95;

/** What one call asks of a key's gate (JSON over the Durable Object's fetch). */
export type GateOp =
  | { op: 'reserve'; maxWaitMs: number; ratePerMinute: number }
  | { op: 'hold'; forMs: number }
  | { op: 'admit'; probeLeaseMs: number }
  | { op: 'probe-done'; retryNow: boolean; pauseProbeMs: number }
  | { op: 'pause'; reason: string; pauseProbeMs: number }
  | { op: 'resume' }
  | { op: 'state' };

/** A key's pause as every consumer sees it; its rows are not to be claimed for `heldForMs` (probe not due, or out). */
export interface GateState {
  paused: boolean;
  reason: string | null;
  heldForMs: number;
}

/** The answer to any op: the key's state, plus the op's own result. */
export interface GateReply {
  state: GateState;
  /** reserve: whether a slot was booked, and how long until it (or until the next free one). */
  booked?: boolean;
  waitMs?: number;
  /** admit: send now, as the probe of a paused key or not. */
  send?: boolean;
  probe?: boolean;
  /** pause/resume: whether this call changed the key's state (the caller logs the change once). */
  changed?: boolean;
}

interface Pause {
  reason: string;
  /** When one row may try the key again. */
  probeAt: number;
  /** A probe is out until then (a consumer that dies mid-probe frees it when this passes). */
  probingUntil: number;
}

/**
 * One Dub API key's shared gate (`KEY_GATE` binding, one object per key, named by the key's hash):
 * a token bucket of depth one (calls spaced evenly, as the Node limiter does) and the pause after
 * Dub refused the key (401/403) with its probe. Every consumer of every isolate asks it, so the
 * rate and the pause hold for the whole deployment. The pause and a 429 hold survive eviction
 * (storage); the next slot lives in memory (an evicted object has been idle longer than a slot).
 */
export class DubKeyGate {
  private nextSlot = 0;
  private pause: Pause | null = null;

  constructor(private readonly ctx: DurableObjectState) {
    void ctx.blockConcurrencyWhile(async () => {
      this.pause = (await ctx.storage.get<Pause>('pause')) ?? null;
      this.nextSlot = (await ctx.storage.get<number>('holdUntil')) ?? 0;
    });
  }

  async fetch(request: Request): Promise<Response> {
    const op = (await request.json()) as GateOp;
    return Response.json(this.apply(op, Date.now()));
  }

  private state(now: number): GateState {
    const p = this.pause;
    return { paused: p !== null, reason: p?.reason ?? null, heldForMs: p ? Math.max(0, p.probingUntil - now, p.probeAt - now) : 0 };
  }

  private savePause(): void {
    // The output gate holds the reply until the write is stored: nobody acts on a pause that could be lost.
    void (this.pause ? this.ctx.storage.put('pause', this.pause) : this.ctx.storage.delete('pause'));
  }

  /** Carries out one op; the object runs one at a time, so each sees the last one's effect. */
  apply(op: GateOp, now: number): GateReply {
    switch (op.op) {
      case 'reserve': {
        const slot = Math.max(now, this.nextSlot);
        if (slot - now > op.maxWaitMs) return { state: this.state(now), booked: false, waitMs: slot - now };
        this.nextSlot = slot + 60_000 / (op.ratePerMinute * RATE_HEADROOM);
        return { state: this.state(now), booked: true, waitMs: slot - now };
      }
      case 'hold': {
        // After a 429 nothing goes to Dub before its reset time, from any consumer.
        this.nextSlot = Math.max(this.nextSlot, now + op.forMs);
        void this.ctx.storage.put('holdUntil', this.nextSlot);
        return { state: this.state(now) };
      }
      case 'admit': {
        const p = this.pause;
        if (!p) return { state: this.state(now), send: true, probe: false };
        if (p.probingUntil > now || now < p.probeAt) return { state: this.state(now), send: false };
        p.probingUntil = now + op.probeLeaseMs;
        this.savePause();
        return { state: this.state(now), send: true, probe: true };
      }
      case 'probe-done': {
        const p = this.pause;
        if (p && p.probingUntil > 0) {
          p.probingUntil = 0;
          if (!op.retryNow) p.probeAt = now + op.pauseProbeMs;
          this.savePause();
        }
        return { state: this.state(now) };
      }
      case 'pause': {
        const changed = this.pause === null;
        this.pause = { reason: op.reason, probeAt: now + op.pauseProbeMs, probingUntil: 0 };
        this.savePause();
        return { state: this.state(now), changed };
      }
      case 'resume': {
        const changed = this.pause !== null;
        this.pause = null;
        if (changed) this.savePause();
        return { state: this.state(now), changed };
      }
      case 'state':
        return { state: this.state(now) };
    }
  }
}
