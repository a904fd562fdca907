import { CliError } from '../errors.js';

/**
 * Turns a provider SDK failure into one line for the operator (exit 1), for SDK callers that
 * already word their errors. `recognise` lets a provider name its own error kinds first.
 */
export function providerError(label: string, recognise?: (error: Error & Record<string, unknown>) => string | null) {
  return (error: unknown): never => {
    const e = error as Error & Record<string, unknown>;
    const known = recognise?.(e);
    if (known) throw new CliError(known);
    throw new CliError(`${label}: ${e.message}`);
  };
}
