import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { providers } from '../../handlers/index.js';
import { tenantProvider } from '../../tenants/file.js';
import type { Config } from '../../config.js';
import type { CliContext, CommandModule } from '../context.js';
import { databaseOption, loadConfig } from '../context.js';
import type { StatusLevel } from '../output.js';

interface Check {
  level: StatusLevel;
  text: string;
}

/** `dub-bridge doctor`: one line per check (ok/warn/fail); exit 1 when any check fails. */
export const doctorCommand: CommandModule = (program, ctx) => {
  program
    .command('doctor')
    .description('check config, database, Dub API key and webhook secrets; exit 1 if any check fails')
    .option(...databaseOption)
    .action(async (options: { database?: string }) => ctx.setExitCode(await doctor(options, ctx)));
};

async function doctor(options: { database?: string }, ctx: CliContext): Promise<number> {
  const checks: Check[] = [];
  const report = (check: Check) => {
    checks.push(check);
    ctx.out.status(check.level, check.text);
  };
  let config: Config;
  try {
    config = await loadConfig(ctx, options.database);
    report({ level: 'ok', text: 'config: environment is valid' });
  } catch (error) {
    if ((error as Error).name !== 'ConfigError') throw error;
    report({ level: 'fail', text: `config: ${(error as Error).message}` });
    return 1;
  }
  report(await checkDatabase(config));
  report(await checkDubKey(config, config.DUB_API_KEY, 'dub'));
  for (const tenant of config.tenants?.tenants ?? []) report(await checkDubKey(config, tenant.dubApiKey, `dub (tenant ${tenant.id})`));
  for (const check of checkSecrets(config)) report(check);
  return checks.some((c) => c.level === 'fail') ? 1 : 0;
}

async function checkDatabase(config: Config): Promise<Check> {
  const path = resolve(config.DATABASE_PATH);
  if (!existsSync(path)) {
    return { level: 'fail', text: `database: no file at ${path}; run "dub-bridge migrate" or start the bridge` };
  }
  const { migrationState, openCliDatabase } = await import('../database.js');
  const { deliveryPause } = await import('../queries.js');
  const { applied, pending } = migrationState(path);
  if (pending.length > 0) {
    return { level: 'fail', text: `database: ${pending.length} migration(s) pending (${pending.join(', ')}); run "dub-bridge migrate"` };
  }
  try {
    const database = openCliDatabase(config);
    try {
      await database.store.ping();
      const stats = await database.store.stats();
      const pause = await deliveryPause(database.reader);
      const summary = `${path} reachable, migrated (${applied.at(-1)}), ${stats.inboxCount} events, ${stats.counts.pending} pending, ${stats.counts.dead} dead`;
      if (pause.paused) return { level: 'fail', text: `database: ${summary}; delivery PAUSED: ${pause.reason}` };
      return { level: stats.counts.dead > 0 ? 'warn' : 'ok', text: `database: ${summary}${stats.counts.dead > 0 ? ' (see "dub-bridge status")' : ''}` };
    } finally {
      database.close();
    }
  } catch (error) {
    return { level: 'fail', text: `database: ${(error as Error).message}` };
  }
}

/** One cheap authenticated call (GET /links/count) tells whether Dub accepts the key. */
async function checkDubKey(config: Config, apiKey: string | undefined, label: string): Promise<Check> {
  if (!apiKey) {
    return { level: 'warn', text: `${label}: DUB_API_KEY is not set: dry run, commands are recorded but not sent to Dub` };
  }
  const { createDubClient, DubTransportError } = await import('../../dub/client.js');
  const client = createDubClient({ apiUrl: config.DUB_API_URL, apiKey, timeoutMs: config.DUB_TIMEOUT_MS });
  try {
    const response = await client.checkKey();
    if (response.status >= 200 && response.status < 300) return { level: 'ok', text: `${label}: ${config.DUB_API_URL} accepted the API key` };
    const message = (response.body as { error?: { message?: string } } | null)?.error?.message ?? '';
    if (response.status === 401 || response.status === 403) {
      return { level: 'fail', text: `${label}: ${config.DUB_API_URL} refused the API key (${response.status} ${message}); create one in the Dub workspace settings` };
    }
    return { level: 'fail', text: `${label}: ${config.DUB_API_URL} answered ${response.status} ${message}`.trimEnd() };
  } catch (error) {
    if (!(error instanceof DubTransportError)) throw error;
    return { level: 'fail', text: `${label}: cannot reach ${config.DUB_API_URL}: ${error.message}` };
  }
}

/** Per source: the env secret, or tenants (TENANTS_FILE) with their own. */
function checkSecrets(config: Config): Check[] {
  const tenants = config.tenants?.tenants ?? [];
  const sources = providers.map((p) => ({
    name: p.source,
    variable: p.secretVariable,
    count: config.providers[p.source]?.secrets.length ?? 0,
    tenants: tenants.filter((t) => (tenantProvider(t, p)?.secrets.length ?? 0) > 0).length,
  }));
  if (sources.every((s) => s.count === 0 && s.tenants === 0)) {
    return [{ level: 'fail', text: `secrets: none of ${sources.map((s) => s.variable).join(', ')} is set; every webhook would be refused` }];
  }
  return sources.map((s): Check => {
    const own = s.tenants > 0 ? `; ${s.tenants} tenant${s.tenants > 1 ? 's' : ''} with their own` : '';
    if (s.count > 0) return { level: 'ok', text: `${s.name}: ${s.variable} set (${s.count} secret${s.count > 1 ? 's: rotation in progress' : ''})${own}` };
    if (s.tenants > 0) return { level: 'ok', text: `${s.name}: ${s.variable} not set${own}` };
    return { level: 'warn', text: `${s.name}: ${s.variable} not set; /webhooks/${s.name} answers 503` };
  });
}
