import type { D1Database, DurableObjectNamespace, Queue } from '@cloudflare/workers-types/latest/index.js';
import type { Context } from 'hono';
import { composeBridge } from '../compose.js';
import { parseConfig, type Config } from '../config.js';
import type { Store } from '../db/store.js';
import { createLogger, type Logger } from '../logger.js';
import { createMetrics, type Metrics } from '../metrics.js';
import { opsQueries } from '../ops/queries.js';
import { createKeyGates, type KeyGates } from '../deliver/key-gates.js';
import { tenantsOf } from '../tenants/route.js';
import { createD1Store, d1Database } from './d1-store.js';
import { createDurableKeyGates, type DurableKeyGates } from './worker-key-gates.js';
import { workerOutbox, type WorkerOutbox } from './worker-outbox.js';
import { enqueueAfterMapping, queueEnqueue, type DeliveryMessage } from './worker-queue.js';

/** The Worker's bindings: D1, the optional delivery queue and key gates, and DESIGN.md's vars and secrets. */
export interface WorkerEnv {
  DB: D1Database;
  /** Producer of the delivery queue; without it, delivery runs in the request's `waitUntil`. */
  DELIVERY_QUEUE?: Queue<DeliveryMessage>;
  /** The `DubKeyGate` Durable Objects; without them, each isolate keeps its own rate limit and pause. */
  KEY_GATE?: DurableObjectNamespace;
  [name: string]: unknown;
}

/** What the Worker composes once per isolate (per env object): everything but the dispatchers. */
export interface Isolate {
  env: WorkerEnv;
  config: Config;
  store: Store;
  logger: Logger;
  metrics: Metrics;
  outbox: WorkerOutbox;
  gates: KeyGates & Partial<Pick<DurableKeyGates, 'refresh'>>;
  /** The producer when the queue is bound: mapping enqueues, consumers deliver. */
  queue: Queue<DeliveryMessage> | null;
  /** Rows leased across the deployment when the console last asked (what "in flight" can mean here). */
  leasedNow: number;
  bridge: ReturnType<typeof composeBridge>;
}

/** How a run after an ack or a console replay is started; the isolate's app calls it. */
export type StartDelivery = (parts: Isolate, c: Context, event?: { inboxId: number }) => void;

/** String vars and secrets; TENANTS_JSON may be a JSON object in wrangler.toml's [vars]. */
function varsOf(env: WorkerEnv): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (typeof value === 'string') vars[name] = value;
    else if (name === 'TENANTS_JSON' && value && typeof value === 'object') vars[name] = JSON.stringify(value);
  }
  return vars;
}

const isolates = new WeakMap<object, Isolate>();

/**
 * The app, routers, verifiers, Dub clients, store and gates, built once per isolate and reused by
 * every request, Cron run and queue batch (a new env object, after a deploy or a secret change,
 * builds a new set). None of it holds a promise, timer or I/O object of one request: dispatchers,
 * which do, are made per invocation with `bridge.newDelivery`. Throws ConfigError on a bad variable.
 */
export function isolateFor(env: WorkerEnv, startDelivery: StartDelivery): Isolate {
  const existing = isolates.get(env);
  if (existing) return existing;
  const config = parseConfig(varsOf(env));
  const logger = createLogger(config.LOG_LEVEL, (line) => console.log(line), config.LOG_FORMAT);
  const metrics = createMetrics();
  const now = Date.now;
  const tenants = tenantsOf(config);
  const gates = env.KEY_GATE
    ? createDurableKeyGates({
        namespace: env.KEY_GATE,
        apiKeyOf: (key) => (key === '' ? config.DUB_API_KEY : tenants.find((t) => t.id === key)?.dubApiKey),
        keys: ['', ...tenants.map((t) => t.id)],
        ratePerMinute: config.DUB_RATE_LIMIT_PER_MINUTE,
        pauseProbeMs: config.DELIVERY_PAUSE_PROBE_MS,
        probeLeaseMs: config.LEASE_MS,
        now,
        logger,
        metrics,
      })
    : createKeyGates({ ratePerMinute: config.DUB_RATE_LIMIT_PER_MINUTE, pauseProbeMs: config.DELIVERY_PAUSE_PROBE_MS, now, logger, metrics });
  const queue = env.DELIVERY_QUEUE ?? null;
  const d1Store = createD1Store(env.DB);
  // enqueueDelivery(ids), with a queue: each mapping's commit hands it the rows it queued.
  const enqueueDelivery = queue ? queueEnqueue(queue) : null;
  const store = enqueueDelivery ? enqueueAfterMapping(d1Store, enqueueDelivery, logger) : d1Store;
  const parts = { env, config, store, logger, metrics, gates, queue, outbox: workerOutbox(d1Database(env.DB)), leasedNow: 0 } as Isolate;
  parts.bridge = composeBridge({
    config,
    store,
    logger,
    metrics,
    queries: opsQueries(d1Database(env.DB)),
    keyGates: gates,
    deliveryStatus: () => ({ ...gates.status(), inFlight: parts.leasedNow }),
    startDelivery: (c, _drain, event) => startDelivery(parts, c, event),
  });
  isolates.set(env, parts);
  return parts;
}

/**
 * Before /healthz, /metrics and the console: the pause state of every key from its gate (at most
 * a second old), and for the console the rows leased now, so they describe the deployment rather
 * than this isolate.
 */
export async function refreshStatus(parts: Isolate, path: string): Promise<void> {
  const isConsole = path === '/console' || path.startsWith('/console/');
  if (path !== '/healthz' && path !== '/metrics' && !isConsole) return;
  await parts.gates.refresh?.(1_000);
  if (isConsole) {
    parts.leasedNow = await parts.outbox.leasedNow(Date.now()).catch((error: Error) => {
      parts.logger.warn({ error: error.message }, 'leased rows could not be counted');
      return parts.leasedNow;
    });
  }
}
