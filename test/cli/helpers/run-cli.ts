import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../../', import.meta.url));
/** tsx's loader by absolute path, so the CLI also runs from another working directory. */
const tsx = createRequire(import.meta.url).resolve('tsx');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  timeoutMs?: number;
  /** Working directory (default: the repository); `.env` is looked for here. */
  cwd?: string;
  /** Written to the CLI's standard input (secrets piped in). */
  input?: string;
}

/**
 * Runs `dub-bridge` as a user would: a child process (`node --import tsx src/cli/index.ts`)
 * with only the given environment (plus PATH and HOME), so the developer's shell cannot leak in.
 * `.env` loading is off unless the caller sets DUB_BRIDGE_ENV_FILE (to a path, or `undefined` for
 * the default `./.env` of `cwd`), so a developer's own `.env` in the checkout cannot leak in either.
 */
export function runCli(args: string[], env: Record<string, string | undefined> = {}, options: CliOptions = {}): Promise<CliRun> {
  const childEnv = Object.fromEntries(
    Object.entries({ PATH: process.env.PATH, HOME: process.env.HOME, DUB_BRIDGE_ENV_FILE: 'off', ...env }).filter(([, v]) => v !== undefined),
  );
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--import', tsx, join(root, 'src/cli/index.ts'), ...args],
      { cwd: options.cwd ?? root, env: childEnv, timeout: options.timeoutMs ?? 30_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') return reject(error);
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
    child.stdin?.end(options.input ?? '');
  });
}
