import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

type Handlers = Record<string, () => unknown>;

const memory = () => process.memoryUsage();

/** CPU time (user + system) this process used so far, in microseconds. */
const cpu = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/**
 * The child side of bench/child.ts: announces the port, answers the parent's questions by type
 * (`memory` and `cpu` always), stops on request, and exits if the parent goes away so no server
 * outlives a benchmark.
 */
export function answerParent(port: number, own: Handlers & { stop?: () => Promise<void> }) {
  const handlers: Handlers = { memory, cpu, ...own };
  process.on('disconnect', () => process.exit(0));
  process.on('message', async (message: { type: string }) => {
    if (message.type === 'stop') {
      await own.stop?.();
      process.exit(0);
    }
    const value = await handlers[message.type]?.();
    process.send!({ type: message.type, value });
  });
  process.send!({ type: 'listening', port });
}

/** Serves a Hono app on 127.0.0.1 (ephemeral port) the way the bridge serves on Node. */
export function serveHono(app: Hono) {
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
    answerParent(info.port, { stop: () => new Promise<void>((r) => server.close(() => r())) }),
  );
}
