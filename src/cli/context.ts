import type { Command } from 'commander';
import type { Config } from '../config.js';
import type { CliDatabase } from './database.js';
import type { EnvFileLoad } from './env-file.js';
import type { Output } from './output.js';

/** What every command gets from the entry point, so nothing below reads process globals. */
export interface CliContext {
  env: Record<string, string | undefined>;
  /** The `.env` file loaded into `env` at start, if any (doctor reports it). */
  envFile?: EnvFileLoad | null;
  out: Output;
  err: Output;
  now: () => number;
  /** Everything on standard input (secrets are piped in, never passed as flags). */
  readStdin(): Promise<string>;
  /** Records the exit code the process ends with once the command returns. */
  setExitCode(code: number): void;
}

/** Registers one command (or group) on the program. */
export type CommandModule = (program: Command, ctx: CliContext) => void;

/**
 * The bridge's config from the environment, with `--database` (when given) taking the place of
 * DATABASE_PATH. A bad value throws a ConfigError naming the variable (exit 78).
 */
export async function loadConfig(ctx: CliContext, database?: string): Promise<Config> {
  const { parseConfig } = await import('../config.js');
  return parseConfig({ ...ctx.env, ...(database ? { DATABASE_PATH: database } : {}) });
}

/** Opens the configured database for a command (see openCliDatabase). */
export async function openDatabase(ctx: CliContext, database?: string): Promise<CliDatabase> {
  const config = await loadConfig(ctx, database);
  const { openCliDatabase } = await import('./database.js');
  return openCliDatabase(config);
}

export const databaseOption = ['--database <path>', 'SQLite file to use instead of DATABASE_PATH'] as const;
