import type { DurableObjectNamespace } from '@cloudflare/workers-types/latest/index.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Admission, KeyGates, Slot } from '../deliver/key-gates.js';
import type { GateOp, GateReply } from './durable-key-gate.js';

export interface DurableGatesOptions {
  namespace: DurableObjectNamespace;
  /** The Dub API key behind a gate key (`''` = DUB_API_KEY, else a tenant id); null: none (dry run). */
  apiKeyOf: (key: string) => string | null | undefined;
  /** Every gate key the deployment knows: `''` and each tenant id (status and onHold ask these). */
  keys: readonly string[];
  ratePerMinute: number;
  pauseProbeMs: number;
  /** How long a probe may be out before another consumer may probe (a lease's length). */
  probeLeaseMs: number;
  now: () => number;
  logger: Logger;
  metrics: Metrics;
  /** How old a key's last known state may be before onHold asks its gate again. */
  maxAgeMs?: number;
}

/** KeyGates with a `refresh` that reads every key's state from its gate (before /healthz and the console). */
export type DurableKeyGates = KeyGates & { refresh(maxAgeMs?: number): Promise<void> };

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The dispatcher's KeyGates backed by one `DubKeyGate` Durable Object per Dub API key (tenants that
 * share a key share its gate, as Dub counts per key). Safe to keep per isolate: it holds only plain
 * data (each key's last known state, object names) and opens a stub per call, so no promise or I/O
 * object crosses requests. A gate that cannot be reached holds its rows back rather than sending
 * past the limit: admit says no, reserve finds no slot.
 */
export function createDurableKeyGates(options: DurableGatesOptions): DurableKeyGates {
  const { namespace, now, logger, metrics } = options;
  const maxAgeMs = options.maxAgeMs ?? 2_000;
  const names = new Map<string, string>();
  // Each key's state as its gate last told it: paused (why), held until when, and when it was told.
  const known = new Map<string, { paused: boolean; reason: string | null; heldUntil: number; at: number }>();
  const tenantField = (key: string) => (key ? { tenant: key } : {});

  async function nameOf(key: string): Promise<string> {
    const apiKey = options.apiKeyOf(key);
    const cacheKey = `${key}\n${apiKey ?? ''}`;
    let name = names.get(cacheKey);
    if (!name) names.set(cacheKey, (name = apiKey ? `dub-key:${(await sha256Hex(apiKey)).slice(0, 32)}` : 'dub-key:none'));
    return name;
  }

  async function call(key: string, op: GateOp): Promise<GateReply> {
    const stub = namespace.get(namespace.idFromName(await nameOf(key)));
    const response = await stub.fetch('https://key-gate/', { method: 'POST', body: JSON.stringify(op) });
    if (!response.ok) throw new Error(`key gate answered ${response.status}`);
    const reply = await response.json<GateReply>();
    const { paused, reason, heldForMs } = reply.state;
    known.set(key, { paused, reason, heldUntil: now() + heldForMs, at: now() });
    metrics.paused([...known.values()].some((s) => s.paused));
    return reply;
  }

  /** Runs `op`; on failure logs it and answers `fallback` (the gate holds rows back, never lets them through). */
  async function tryCall<T>(key: string, op: GateOp, use: (reply: GateReply) => T, fallback: (message: string) => T): Promise<T> {
    try {
      return use(await call(key, op));
    } catch (error) {
      const message = (error as Error).message;
      logger.error({ error: message, op: op.op, ...tenantField(key) }, 'the Dub key gate (Durable Object) did not answer');
      return fallback(message);
    }
  }

  async function refresh(age = maxAgeMs): Promise<void> {
    const stale = options.keys.filter((key) => (known.get(key)?.at ?? -Infinity) <= now() - age);
    await Promise.all(
      stale.map((key) =>
        tryCall(
          key,
          { op: 'state' },
          () => undefined,
          () => undefined,
        ),
      ),
    );
  }

  return {
    refresh,

    limiter(key: string) {
      return {
        reserve: (maxWaitMs: number): Promise<Slot> =>
          tryCall(
            key,
            { op: 'reserve', maxWaitMs, ratePerMinute: options.ratePerMinute },
            (reply): Slot => (reply.booked ? { waitMs: reply.waitMs ?? 0 } : { notBefore: now() + (reply.waitMs ?? 0) }),
            (): Slot => ({ notBefore: now() + 1_000 }),
          ),
        holdUntil: (time: number) =>
          tryCall(
            key,
            { op: 'hold', forMs: Math.max(0, time - now()) },
            () => undefined,
            () => undefined,
          ),
      };
    },

    async onHold() {
      await refresh();
      return [...known].filter(([, s]) => s.heldUntil > now()).map(([key]) => (key === '' ? null : key));
    },

    admit: (key: string): Promise<Admission> =>
      tryCall(
        key,
        { op: 'admit', probeLeaseMs: options.probeLeaseMs },
        (reply): Admission => (reply.send ? { send: true, probe: reply.probe ?? false } : { send: false, reason: reply.state.reason ?? 'paused' }),
        (message): Admission => ({ send: false, reason: `key gate unavailable: ${message}` }),
      ),

    probeInconclusive: (key: string, retryNow = false) =>
      tryCall(
        key,
        { op: 'probe-done', retryNow, pauseProbeMs: options.pauseProbeMs },
        () => undefined,
        () => undefined,
      ),

    pause: (key: string, reason: string) =>
      tryCall(
        key,
        { op: 'pause', reason, pauseProbeMs: options.pauseProbeMs },
        (reply) => {
          if (!reply.changed) return;
          logger.error(
            { error: reason, ...tenantField(key) },
            'Dub refused the API key (401/403): delivery PAUSED for every consumer, events stay pending; check DUB_API_KEY and the workspace plan',
          );
        },
        () => undefined,
      ),

    resume: (key: string, outboxId: number) =>
      tryCall(
        key,
        { op: 'resume' },
        (reply) => {
          if (reply.changed) logger.info({ outboxId, ...tenantField(key) }, 'Dub accepted the API key again: delivery resumed');
        },
        () => undefined,
      ),

    status() {
      const reasons = [...known].filter(([, s]) => s.paused).map(([key, s]) => (key ? `tenant ${key}: ${s.reason}` : (s.reason ?? 'paused')));
      return { paused: reasons.length > 0, pausedReason: reasons.length ? reasons.join('; ') : null };
    },
  };
}
