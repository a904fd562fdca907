import { serve } from '@hono/node-server';
import { composeBridge } from '../../src/compose.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { readNodeBody } from '../../src/runtime/node-body.js';
import { migrationsFolder } from '../../src/runtime/paths.js';
import { openSqliteStore } from '../../src/runtime/sqlite-store.js';
import { answerParent } from './ipc.js';

/**
 * The bridge's own HTTP app and store wired as `startNodeBridge` wires them, except that nothing
 * starts after an ack: webhooks are verified, stored as `received` and acknowledged, and the
 * mapper runs only when the parent asks (`map`). The map-backlog scenario acknowledges a burst
 * through this real HTTP path, then times the real mapper (`composeBridge`'s, as the dispatcher
 * calls it before each claim) draining it on one core.
 */
const config = parseConfig(process.env);
const logger = createLogger(config.LOG_LEVEL, (line) => process.stdout.write(`${line}\n`), config.LOG_FORMAT);
const { store, close } = openSqliteStore({
  path: config.DATABASE_PATH,
  migrationsFolder: migrationsFolder(),
  createDirectory: false,
  synchronous: config.SQLITE_SYNCHRONOUS,
});
const { app, mapper } = composeBridge({ config, store, logger, readBody: readNodeBody, startDelivery: () => undefined });

/** Drains every received event; what the mapper did, its wall time and this process's CPU time. */
async function map() {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const report = await mapper.mapBacklog();
  const cpu = process.cpuUsage(cpuBefore);
  return { ...report, ms: performance.now() - started, cpuUs: cpu.user + cpu.system };
}

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
  answerParent(info.port, {
    map,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      close();
    },
  }),
);
