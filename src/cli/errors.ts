/** Exit codes scripts can rely on (78 is sysexits' EX_CONFIG, as `npm start` uses). */
export const ExitCode = { ok: 0, failure: 1, usage: 2, config: 78 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the CLI reports as one line on stderr before exiting with `exitCode`. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.failure,
  ) {
    super(message);
  }
}

export const usageError = (message: string) => new CliError(message, ExitCode.usage);
export const configError = (message: string) => new CliError(message, ExitCode.config);

/**
 * Config and database-open problems are the operator's to fix (78); anything else is a failure
 * (1). Matched by name so this module does not load the config schema or the SQLite driver.
 */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof CliError) return error.exitCode;
  const name = error instanceof Error ? error.name : '';
  return name === 'ConfigError' || name === 'DatabaseOpenError' || name === 'EnvFileError' ? ExitCode.config : ExitCode.failure;
}
