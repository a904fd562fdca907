import { configHints } from '../../config-hints.js';
import type { Config } from '../../config.js';
import type { CliContext, CommandModule } from '../context.js';
import { databaseOption, loadConfig } from '../context.js';
import { describeEnvFile } from '../env-file.js';
import { loadRegisteredAdapters } from '../adapters.js';
import { type Check, checkDatabase, checkDubKey, checkSecrets } from './doctor-checks.js';

/**
 * `dub-bridge doctor`: one line per check (ok/warn/fail/info); exit 1 when any check fails. Each
 * failure names the variable to fix, so on a fresh install it reads as "what to fill in next".
 */
export const doctorCommand: CommandModule = (program, ctx) => {
  program
    .command('doctor')
    .description('check config, database, Dub API key and webhook secrets; each failure names the variable to fix; exit 1 if any check fails')
    .option(...databaseOption)
    .action(async (options: { database?: string }) => ctx.setExitCode(await doctor(options, ctx)));
};

async function doctor(options: { database?: string }, ctx: CliContext): Promise<number> {
  const checks: Check[] = [];
  const report = (check: Check) => {
    checks.push(check);
    ctx.out.status(check.level, check.text);
  };
  const [{ fullConfigSchema }, { providers }] = await Promise.all([import('../../config.js'), import('../../handlers/index.js')]);
  const loaded = ctx.envFile ? `; ${describeEnvFile(ctx.envFile)}` : '';
  let config: Config;
  try {
    config = await loadConfig(ctx, options.database);
    report({ level: 'ok', text: `config: environment is valid${loaded}` });
  } catch (error) {
    if ((error as Error).name !== 'ConfigError') throw error;
    report({ level: 'fail', text: `config: ${(error as Error).message}${loaded}` });
    return 1;
  }
  for (const hint of configHints(Object.keys(ctx.env), Object.keys(fullConfigSchema(providers).shape)))
    report({ level: 'warn', text: `config: ${hint.message}` });
  report(await checkDatabase(config));
  report(await checkDubKey(config, config.DUB_API_KEY, 'dub', 'DUB_API_KEY'));
  for (const tenant of config.tenants?.tenants ?? []) {
    report(await checkDubKey(config, tenant.dubApiKey, `dub (tenant ${tenant.id})`, `the dubApiKey of tenant ${tenant.id} in TENANTS_FILE`));
  }
  for (const check of checkSecrets(config, providers)) report(check);
  // Then what each provider checks for itself (its adapter's `doctor`).
  for (const { adapter } of await loadRegisteredAdapters()) for (const check of adapter.doctor?.(config) ?? []) report(check);
  return checks.some((c) => c.level === 'fail') ? 1 : 0;
}
