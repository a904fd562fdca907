import { serve, type ServerType } from '@hono/node-server';
import type { Config } from '../config.js';
import { composeBridge } from '../compose.js';
import { createLogger, type Logger } from '../logger.js';
import { migrationsFolder } from './paths.js';
import { openSqliteStore } from './sqlite-store.js';

const DEFAULT_DATABASE_PATH = './data/dub-bridge.sqlite';
const SHUTDOWN_GRACE_MS = 10_000;
const RETENTION_SWEEP_MS = 60 * 60 * 1000;

export interface RunningBridge {
  port: number;
  logger: Logger;
  /** Stops taking requests, lets in-flight deliveries finish (bounded), closes the database. */
  shutdown(): Promise<void>;
}

/** Starts the bridge on Node: SQLite store (migrated), HTTP server, sweeper and retention timers. */
export async function startNodeBridge(config: Config, logger = createLogger(config.LOG_LEVEL, (line) => process.stdout.write(`${line}\n`))): Promise<RunningBridge> {
  const { store, close } = openSqliteStore({
    path: config.DATABASE_PATH,
    migrationsFolder: migrationsFolder(),
    createDirectory: config.DATABASE_PATH === DEFAULT_DATABASE_PATH,
  });
  const { app, dispatcher } = composeBridge({
    config,
    store,
    logger,
    startDelivery: () => dispatcher.kick(),
  });

  const sweeper = setInterval(() => dispatcher.kick(), config.SWEEP_INTERVAL_MS);
  const pruneOld = () =>
    store
      .prunePayloads(Date.now() - config.RETENTION_DAYS * 86_400_000)
      .then((n) => n > 0 && logger.info({ pruned: n, retentionDays: config.RETENTION_DAYS }, 'raw payloads pruned'))
      .catch((error: Error) => logger.error({ error: error.message }, 'pruning failed'));
  const retention = setInterval(pruneOld, RETENTION_SWEEP_MS);
  void pruneOld();
  dispatcher.kick();

  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.PORT, hostname: '0.0.0.0' }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info(
    { port, database: config.DATABASE_PATH, dubApiUrl: config.DUB_API_URL, dryRun: !config.DUB_API_KEY },
    'dub-bridge listening',
  );

  let stopping: Promise<void> | null = null;
  return {
    port,
    logger,
    shutdown() {
      stopping ??= (async () => {
        clearInterval(sweeper);
        clearInterval(retention);
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await dispatcher.stop(SHUTDOWN_GRACE_MS);
        close();
        logger.info({}, 'dub-bridge stopped');
      })();
      return stopping;
    },
  };
}
