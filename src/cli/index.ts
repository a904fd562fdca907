#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommanderError } from 'commander';
import { type EnvFileLoad, loadEnvFile } from './env-file.js';
import { CliError, ExitCode, exitCodeOf } from './errors.js';
import { createOutput, exitOnClosedPipe } from './output.js';
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

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const err = createOutput(process.stderr);
  try {
    // Before the program is built, so every command sees the same environment as npm start.
    const envFile: EnvFileLoad | null = loadEnvFile();
    const program = buildProgram(
      { env: process.env, envFile, out: createOutput(process.stdout), err, now: Date.now, readStdin, setExitCode: (code) => (exitCode = code) },
      packageVersion(),
    );
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

exitOnClosedPipe([process.stdout, process.stderr]);
process.exitCode = await main();
