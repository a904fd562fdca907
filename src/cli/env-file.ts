import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * `.env` support for `npm start` and the CLI (Node only; Workers read `.dev.vars` through
 * wrangler). Node's own `process.loadEnvFile` does the loading, and it never overrides a variable
 * the environment already has, so real environment variables win over the file, even empty ones.
 */

/** What loading the file did, by variable name only (never values: the file holds secrets). */
export interface EnvFileLoad {
  path: string;
  /** Variables the file set to a value (empty lines mean "not set", like an absent variable). */
  set: string[];
  /** How many variables the file leaves empty. */
  empty: number;
  /** Variables the file also names but the environment already had (their environment value stays). */
  kept: string[];
}

/** A problem with the env file the operator must fix (the entries turn it into exit 78). */
export class EnvFileError extends Error {
  override readonly name = 'EnvFileError';
}

/**
 * Loads `./.env` (relative to `cwd`) into `process.env` when it exists. `DUB_BRIDGE_ENV_FILE`
 * names another file, or `off` to load none (tests use it so a developer's `.env` cannot leak
 * in). Returns null when nothing was loaded.
 */
export function loadEnvFile(cwd = process.cwd()): EnvFileLoad | null {
  const setting = process.env.DUB_BRIDGE_ENV_FILE?.trim();
  if (setting === 'off') return null;
  const path = resolve(cwd, setting || '.env');
  if (!existsSync(path)) {
    if (setting) throw new EnvFileError(`invalid configuration: DUB_BRIDGE_ENV_FILE: no file at ${path}`);
    return null;
  }
  if (typeof process.loadEnvFile !== 'function') {
    throw new EnvFileError(`${path} exists but Node ${process.version} cannot load it (Node 20.12 or newer can); upgrade Node or export its variables`);
  }
  let entries: [string, string | undefined][];
  try {
    entries = Object.entries(parseEnv(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new EnvFileError(`cannot read ${path}: ${(error as Error).message}`);
  }
  const kept = entries.filter(([name]) => Object.hasOwn(process.env, name)).map(([name]) => name);
  process.loadEnvFile(path);
  const taken = entries.filter(([name]) => !kept.includes(name));
  return { path, set: taken.filter(([, value]) => value).map(([name]) => name), empty: taken.filter(([, value]) => !value).length, kept };
}

/** One line for the startup log and `doctor`: which file, how many variables, which the environment overrode. */
export function describeEnvFile(load: EnvFileLoad): string {
  const count = `${load.set.length} variable${load.set.length === 1 ? '' : 's'} set${load.empty > 0 ? `, ${load.empty} left empty` : ''}`;
  if (load.kept.length === 0) return `loaded ${load.path}: ${count}; a variable already in the environment would win over the file`;
  return `loaded ${load.path}: ${count}; kept the environment's own ${load.kept.join(', ')} (the environment wins over the file)`;
}
