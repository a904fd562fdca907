import { ConfigError, parseConfig } from '../config.js';
import { DatabaseOpenError } from './sqlite-store.js';
import { startNodeBridge } from './node-server.js';

/** `npm start`: validate config, migrate, serve; SIGTERM/SIGINT drain and exit. */
async function main() {
  const config = parseConfig(process.env);
  const bridge = await startNodeBridge(config);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      bridge.logger.info({ signal }, 'shutting down');
      bridge.shutdown().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DatabaseOpenError) {
    process.stderr.write(`dub-bridge: ${error.message}\n`);
    process.exit(78);
  }
  process.stderr.write(`dub-bridge: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
