// The env-file loader lives with the CLI, the other Node-only entry that loads it.
import { describeEnvFile, EnvFileError, loadEnvFile } from '../cli/env-file.js';
import { configHints } from '../config-hints.js';
import { type Config, ConfigError, fullConfigSchema, parseConfig } from '../config.js';
import { DatabaseOpenError } from './sqlite-store.js';
import { StartupError, startNodeBridge } from './node-server.js';

/** Past the grace period, this much more is allowed for closing the database before exiting anyway. */
const EXIT_MARGIN_MS = 2_000;

/**
 * `npm start`: load ./.env when present (variables already in the environment win), validate
 * config, migrate, serve. SIGTERM/SIGINT stop taking requests, let in-flight deliveries finish
 * within SHUTDOWN_GRACE_MS and exit 0; a second signal exits at once.
 */
async function main() {
  const envFile = loadEnvFile();
  let config: Config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    // Say where the values came from: a bad value in .env is otherwise looked for in the shell.
    if (error instanceof ConfigError && envFile) error.message += ` (values from the environment and ${envFile.path})`;
    throw error;
  }
  const bridge = await startNodeBridge(config);
  if (envFile) bridge.logger.info({ envFile: envFile.path, set: envFile.set, keptFromEnvironment: envFile.kept }, describeEnvFile(envFile));
  // The schema ignores unknown names; a misspelt one would otherwise leave a provider silently unconfigured.
  for (const hint of configHints(Object.keys(process.env), Object.keys(fullConfigSchema().shape))) {
    bridge.logger.warn({ variable: hint.variable, suggestion: hint.suggestion }, hint.message);
  }
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
  if (error instanceof ConfigError || error instanceof DatabaseOpenError || error instanceof EnvFileError) {
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
