import type { CommandModule } from '../context.js';
import { databaseOption, loadConfig } from '../context.js';
import { describeEnvFile } from '../env-file.js';
import { ExitCode } from '../errors.js';
import { closedPipe } from '../output.js';

/** Past the grace period, this much more is allowed for closing the database (as npm start). */
const EXIT_MARGIN_MS = 2_000;

const nextSignal = () =>
  new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });

/**
 * `dub-bridge serve`: the same as `npm start`. SIGTERM/SIGINT stop taking requests and let
 * in-flight deliveries finish within SHUTDOWN_GRACE_MS; a second signal exits at once.
 */
export const serveCommand: CommandModule = (program, ctx) => {
  program
    .command('serve')
    .description('start the bridge (as npm start does): migrate, then serve webhooks until SIGTERM/SIGINT')
    .option(...databaseOption)
    .action(async (options: { database?: string }) => {
      closedPipe.exitCode = ExitCode.failure;
      const config = await loadConfig(ctx, options.database);
      const { startNodeBridge } = await import('../../runtime/node-server.js');
      const bridge = await startNodeBridge(config);
      const { envFile } = ctx;
      if (envFile) bridge.logger.info({ envFile: envFile.path, set: envFile.set, keptFromEnvironment: envFile.kept }, describeEnvFile(envFile));
      const [{ configHints }, { fullConfigSchema }] = await Promise.all([import('../../config-hints.js'), import('../../config.js')]);
      for (const hint of configHints(Object.keys(ctx.env), Object.keys(fullConfigSchema().shape))) {
        bridge.logger.warn({ variable: hint.variable, suggestion: hint.suggestion }, hint.message);
      }
      const signal = await nextSignal();
      bridge.logger.info({ signal, graceMs: config.SHUTDOWN_GRACE_MS }, 'shutting down');
      void nextSignal().then((second) => {
        bridge.logger.warn({ signal: second }, 'second signal: exiting now');
        process.exit(1);
      });
      setTimeout(() => process.exit(1), config.SHUTDOWN_GRACE_MS + EXIT_MARGIN_MS).unref();
      await bridge.shutdown();
      ctx.setExitCode(0);
    });
};
