#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommanderError } from 'commander';
import { CliError, ExitCode, exitCodeOf } from './errors.js';
import { createOutput } from './output.js';
import { buildProgram } from './program.js';

/** The package version, found from this file whether it runs from `src/` or `dist/src/`. */
function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++, dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}

async function main(): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const err = createOutput(process.stderr);
  const program = buildProgram(
    { env: process.env, out: createOutput(process.stdout), err, now: Date.now, setExitCode: (code) => (exitCode = code) },
    packageVersion(),
  );
  try {
    await program.parseAsync(process.argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed the message; help and --version are successes.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    const code = exitCodeOf(error);
    // Expected failures are one line; anything else is a bug worth its stack trace.
    const expected = error instanceof CliError || code !== ExitCode.failure || (error as Error).name === 'StartupError';
    err.line(`dub-bridge: ${expected ? (error as Error).message : ((error as Error).stack ?? String(error))}`);
    return code;
  }
}

process.exitCode = await main();
