import { resolve } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { Config } from '../config.js';
import { composeBridge } from '../compose.js';
import { runRetention } from '../db/scrub.js';
import { providers } from '../handlers/index.js';
import { tenantProvider } from '../tenants/file.js';
import { tenantsOf } from '../tenants/route.js';
import { readMigrationState } from './migration-state.js';
import { startupSummary } from './startup-summary.js';
import { createLogger, type Logger } from '../logger.js';
import { readNodeBody } from './node-body.js';
import { createNodeHttpTransport } from './node-http-transport.js';
import { migrationsFolder } from './paths.js';
import { openSqliteStore } from './sqlite-store.js';
import { opsQueries } from '../ops/queries.js';

const DEFAULT_DATABASE_PATH = './data/dub-bridge.sqlite';
const RETENTION_SWEEP_MS = 60 * 60 * 1000;

/** A startup problem outside config and database (a taken port), reported in one line. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** Resolves when `server` listens; a taken port becomes one clear error instead of a crash. */
function listen(server: ServerType, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new StartupError(`PORT: ${port} is already in use`) : error));
  });
}

export interface RunningBridge {
  port: number;
  logger: Logger;
  /** Stops taking requests, lets in-flight deliveries finish (bounded), closes the database. */
  shutdown(): Promise<void>;
}

/** Migrations not yet applied; an unreadable file is left to the store, which says what is wrong with it. */
function migrationsPending(path: string): number {
  try {
    return readMigrationState(path).pending.length;
  } catch {
    return 0;
  }
}

/** Starts the bridge on Node: SQLite store (migrated), HTTP server, sweeper and retention timers. */
export async function startNodeBridge(
  config: Config,
  logger = createLogger(config.LOG_LEVEL, (line) => process.stdout.write(`${line}\n`), config.LOG_FORMAT),
): Promise<RunningBridge> {
  const pendingBefore = migrationsPending(config.DATABASE_PATH);
  const { store, db, close } = openSqliteStore({
    path: config.DATABASE_PATH,
    migrationsFolder: migrationsFolder(),
    createDirectory: config.DATABASE_PATH === DEFAULT_DATABASE_PATH,
    synchronous: config.SQLITE_SYNCHRONOUS,
  });
  const dubTransport = createNodeHttpTransport({ maxSockets: config.DELIVERY_CONCURRENCY });
  const { app, dispatcher } = composeBridge({
    config,
    store,
    logger,
    dubTransport,
    readBody: readNodeBody,
    queries: opsQueries(db),
    startDelivery: () => dispatcher.kick(),
  });

  if (config.DUB_TIMEOUT_MS > config.LEASE_MS / 2) {
    logger.warn(
      { DUB_TIMEOUT_MS: config.DUB_TIMEOUT_MS, LEASE_MS: config.LEASE_MS },
      'LEASE_MS should be at least twice DUB_TIMEOUT_MS, or a slow call may be sent twice',
    );
  }
  const sweeper = setInterval(() => dispatcher.kick(), config.SWEEP_INTERVAL_MS);
  // Past retention, raw payloads go and finished commands lose names and emails (ids and amounts
  // stay as the audit trail). Pending rows keep theirs until delivered.
  const applyRetention = async () => {
    try {
      const report = await runRetention(store, { retentionDays: config.RETENTION_DAYS, rowRetentionDays: config.ROW_RETENTION_DAYS, now: Date.now() });
      const { payloads, commands, deletedInbox, deletedOutbox } = report;
      if (payloads + commands > 0) logger.info({ payloads, commands, retentionDays: config.RETENTION_DAYS }, 'retention: personal data pruned');
      if (deletedInbox + deletedOutbox > 0)
        logger.info({ deletedInbox, deletedOutbox, rowRetentionDays: config.ROW_RETENTION_DAYS }, 'retention: finished rows deleted');
    } catch (error) {
      logger.error({ error: (error as Error).message }, 'retention pruning failed');
    }
  };
  const retention = setInterval(applyRetention, RETENTION_SWEEP_MS);
  await applyRetention();
  dispatcher.kick();

  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST });
  try {
    await listen(server, config.PORT);
  } catch (error) {
    clearInterval(sweeper);
    clearInterval(retention);
    await dispatcher.stop(0);
    dubTransport.close();
    close();
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info({ port, database: config.DATABASE_PATH, dubApiUrl: config.DUB_API_URL, dryRun: !config.DUB_API_KEY && config.DRY_RUN }, 'dub-bridge listening');
  const migrated = readMigrationState(resolve(config.DATABASE_PATH));
  const tenantSecrets = Object.fromEntries(
    providers.map((p) => [p.source, tenantsOf(config).filter((t) => (tenantProvider(t, p)?.secrets.length ?? 0) > 0).length]),
  );
  const summary = startupSummary({
    config,
    providers,
    tenantSecrets,
    migration: { latest: migrated.applied.at(-1) ?? null, appliedNow: pendingBefore - migrated.pending.length },
    databasePath: resolve(config.DATABASE_PATH),
  });
  logger.info(Object.assign({ port }, summary.fields), summary.message);
  if (config.DUB_API_KEY) {
    const { counts } = await store.stats();
    if (counts.dry_run > 0) {
      logger.warn({ dryRun: counts.dry_run }, `${counts.dry_run} commands were recorded in dry run; send them with \`dub-bridge replay --all-dry-run\``);
    }
  }

  let stopping: Promise<void> | null = null;
  return {
    port,
    logger,
    shutdown() {
      stopping ??= (async () => {
        clearInterval(sweeper);
        clearInterval(retention);
        // New connections are refused at once; requests already inside get the same grace as
        // deliveries (a webhook is only acknowledged after its commit, so cutting one is safe).
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        if ('closeIdleConnections' in server) server.closeIdleConnections();
        const grace = new Promise<void>((resolve) => setTimeout(resolve, config.SHUTDOWN_GRACE_MS).unref());
        await Promise.all([dispatcher.stop(config.SHUTDOWN_GRACE_MS), Promise.race([closed, grace])]);
        if ('closeAllConnections' in server) server.closeAllConnections();
        const released = await dispatcher.releaseUnfinished();
        dubTransport.close();
        close();
        logger.info({ unfinishedDeliveries: released }, 'dub-bridge stopped');
      })();
      return stopping;
    },
  };
}
