import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import worker, { type WorkerEnv } from '../../src/runtime/worker.js';
import type { FakeDubOptions, Fault } from '../helpers/fake-dub.js';
import type { DubRequestSeen, SignedWebhook } from '../shared/webhook-cases.js';

/** A fake Dub on the Node side, driven over HTTP from inside workerd. */
export interface RemoteFakeDub {
  url: string;
  apiKey: string;
  requests(): Promise<Array<DubRequestSeen & { at: number; status?: number }>>;
  /** How many requests it refused with 429 (its rate limit, when given one). */
  rejected429(): Promise<number>;
  fail(route: string, ...faults: Fault[]): Promise<void>;
  close(): Promise<void>;
}

export async function startRemoteFakeDub(options: FakeDubOptions = {}): Promise<RemoteFakeDub> {
  const switchboard = env.FAKE_DUB_SWITCHBOARD;
  const created = (await (await fetch(`${switchboard}/dubs`, { method: 'POST', body: JSON.stringify(options) })).json()) as {
    id: string;
    url: string;
    apiKey: string;
  };
  const base = `${switchboard}/dubs/${created.id}`;
  return {
    url: created.url,
    apiKey: created.apiKey,
    requests: async () => (await (await fetch(`${base}/requests`)).json()) as Array<DubRequestSeen & { at: number; status?: number }>,
    rejected429: async () => ((await (await fetch(`${base}/stats`)).json()) as { rejected429: number }).rejected429,
    async fail(route, ...faults) {
      await fetch(`${base}/fail`, { method: 'POST', body: JSON.stringify({ route, faults }) });
    },
    async close() {
      await fetch(base, { method: 'DELETE' });
    },
  };
}

/**
 * The Worker's env for one test: the pool's bindings (D1, key gates, secrets) pointed at that
 * test's fake Dub. Without the delivery queue: delivery runs in the request's waitUntil, which
 * these tests wait for (test/workers/queue-*.test.ts cover the queue).
 */
export function workerEnv(dub: RemoteFakeDub, vars: Record<string, unknown> = {}): WorkerEnv {
  const { DELIVERY_QUEUE: _queue, ...bindings } = env;
  return { ...bindings, DUB_API_URL: dub.url, DUB_API_KEY: dub.apiKey, DELIVERY_BASE_BACKOFF_MS: '1', ...vars };
}

/**
 * Calls the Worker's `fetch` the way the runtime does and waits for everything it handed to
 * `ctx.waitUntil` (delivery after the ack) before returning.
 */
export async function postWebhook(target: WorkerEnv, webhook: SignedWebhook): Promise<{ status: number; body: unknown }> {
  const ctx = createExecutionContext();
  const request = new Request(`https://dub-bridge.example.workers.dev${webhook.path}`, { method: 'POST', headers: webhook.headers, body: webhook.body });
  const response = await worker.fetch(request, target, ctx);
  const body = await response.json();
  await waitOnExecutionContext(ctx);
  return { status: response.status, body };
}

/** Runs the Cron Trigger handler once and waits for the sweep it started. */
export async function runCron(target: WorkerEnv): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '* * * * *' }), target, ctx);
  await waitOnExecutionContext(ctx);
}

export async function rows<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  return (await env.DB.prepare(sql).all<T>()).results;
}
