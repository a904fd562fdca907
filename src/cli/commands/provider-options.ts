import type { CliContext } from '../context.js';
import { usageError } from '../errors.js';

/**
 * Keys and tokens for `register` and `unregister` come from the environment or standard input,
 * never from flags: a flag's value stays in shell history and is visible to every user of the host
 * in `ps`.
 */

/** A secret from standard input (its first line) or the environment variable; a flag carrying it is refused (exit 2). */
export async function secretFrom(
  ctx: CliContext,
  source: { flag?: string | undefined; stdin?: boolean | undefined; variable: string; stdinFlag: string; flagName: string },
) {
  if (source.flag !== undefined) {
    throw usageError(
      `${source.flagName} is not accepted: a secret on the command line stays in shell history and shows in ps; set ${source.variable}, or pipe it in with ${source.stdinFlag}`,
    );
  }
  if (!source.stdin) return ctx.env[source.variable]?.trim() || undefined;
  const value = (await ctx.readStdin()).split(/\r?\n/)[0]?.trim();
  if (!value) throw usageError(`${source.stdinFlag}: standard input is empty; pipe the secret in, e.g. from your password manager`);
  return value;
}
