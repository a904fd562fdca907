import { ConfigError, parseConfig } from '../config.js';
import { DatabaseOpenError } from './sqlite-store.js';
import { StartupError, startNodeBridge } from './node-server.js';

/** Past the grace period, this much more is allowed for closing the database before exiting anyway. */
const EXIT_MARGIN_MS = 2_000;

/**
 * `npm start`: validate config, migrate, serve. SIGTERM/SIGINT stop taking requests, let in-flight
 * deliveries finish within SHUTDOWN_GRACE_MS and exit 0; a second signal exits at once.
 */
async function main() {
  const config = parseConfig(process.env);
  const bridge = await startNodeBridge(config);
  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      bridge.logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    shuttingDown = true;
    bridge.logger.info({ signal, graceMs: config.SHUTDOWN_GRACE_MS }, 'shutting down');
    setTimeout(() => process.exit(1), config.SHUTDOWN_GRACE_MS + EXIT_MARGIN_MS).unref();
    bridge.shutdown().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

main().catch((error: unknown) => {
  // Operator-fixable problems: one line, no stack, and 78 (EX_CONFIG) so a supervisor can stop retrying.
  if (error instanceof ConfigError || error instanceof DatabaseOpenError) {
    process.stderr.write(`dub-bridge: ${error.message}\n`);
    process.exit(78);
  }
  if (error instanceof StartupError) {
    process.stderr.write(`dub-bridge: ${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`dub-bridge: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
