import { Option } from 'commander';
import type { CliContext, CommandModule } from '../context.js';
import { databaseOption, loadConfig } from '../context.js';
import { configError } from '../errors.js';
import { positiveInteger } from './parse.js';

interface TailOptions {
  database?: string;
  interval: number;
  json?: boolean;
}

/** `dub-bridge tail`: new events and command state changes as they happen, until Ctrl-C. */
export const tailCommand: CommandModule = (program, ctx) => {
  program
    .command('tail')
    .description('follow new events and deliveries live, one line each, until Ctrl-C (reads the database; run it where the bridge runs)')
    .option(...databaseOption)
    .addOption(new Option('--interval <ms>', 'how often to look').argParser(positiveInteger).default(500))
    .option('--json', 'one JSON object per line (for scripts)')
    .action(async (options: TailOptions) => ctx.setExitCode(await tail(options, ctx)));
};

async function tail(options: TailOptions, ctx: CliContext): Promise<number> {
  const config = await loadConfig(ctx, options.database);
  const { existsSync } = await import('node:fs');
  const { resolve } = await import('node:path');
  const path = resolve(config.DATABASE_PATH);
  if (!existsSync(path)) throw configError(`DATABASE_PATH: no database at ${path}; start the bridge first (or pass --database)`);
  const [{ openWatchReader }, { follow }] = await Promise.all([import('../watch-queries.js'), import('../tail/follow.js')]);
  const reader = openWatchReader(path);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  if (!options.json) ctx.err.line(`following ${path} (new events and deliveries; Ctrl-C stops)`);
  try {
    await follow(reader, { out: ctx.out, now: ctx.now, intervalMs: options.interval, signal: stop.signal, json: Boolean(options.json) });
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    reader.close();
  }
}
