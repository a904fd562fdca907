import type { ExecutionContext, MessageBatch, ScheduledController } from '@cloudflare/workers-types/latest/index.js';
import { ConfigError } from '../config.js';
import { consumeBatch, startDelivery, sweep } from './worker-delivery.js';
import { isolateFor, refreshStatus, type Isolate, type WorkerEnv } from './worker-isolate.js';

export type { WorkerEnv } from './worker-isolate.js';
/** The Durable Object class of the `KEY_GATE` binding (wrangler.toml): one per Dub API key. */
export { DubKeyGate } from './durable-key-gate.js';

/** A bad variable or secret answers 500 with the one-line reason; the provider retries after the fix. */
function configErrorResponse(error: ConfigError): Response {
  console.error(`dub-bridge: ${error.message}`);
  return Response.json({ error: { code: 'internal_error', message: error.message } }, { status: 500 });
}

const isolate = (env: WorkerEnv): Isolate => isolateFor(env, startDelivery);

/**
 * The Worker: HTTP (webhooks, /healthz, /metrics, console), the Cron sweeper and the delivery
 * queue's consumer. Everything but the dispatchers is composed once per isolate (worker-isolate.ts);
 * each invocation gets its own delivery run (worker-delivery.ts).
 */
export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    let parts: Isolate;
    try {
      parts = isolate(env);
    } catch (error) {
      if (error instanceof ConfigError) return configErrorResponse(error);
      throw error;
    }
    await refreshStatus(parts, new URL(request.url).pathname);
    return parts.bridge.app.fetch(request, env, ctx);
  },

  async scheduled(_controller: ScheduledController, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    const parts = isolate(env);
    ctx.waitUntil(sweep(parts).catch((error: Error) => parts.logger.error({ error: error.message }, 'sweep failed')));
  },

  /** A batch of the delivery queue (or of its dead-letter queue). A throw retries the whole batch. */
  async queue(batch: MessageBatch<unknown>, env: WorkerEnv, _ctx?: ExecutionContext): Promise<void> {
    await consumeBatch(isolate(env), batch);
  },
};
