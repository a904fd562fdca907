import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Config } from '../../config.js';
import type { ProviderDefinition } from '../../handlers/provider.js';
import { dubMode } from '../../runtime/startup-summary.js';
import { tenantProvider } from '../../tenants/file.js';
import type { StatusLevel } from '../output.js';
import { printable } from '../output.js';

/**
 * The checks behind `dub-bridge doctor`. Every `fail` line names the variable to change, so the
 * output doubles as "what to fill in next" on a fresh install.
 */
export interface Check {
  level: StatusLevel;
  text: string;
}

const DEFAULT_DATABASE_PATH = './data/dub-bridge.sqlite';

/** The SQLite file: there (or creatable), migrated, reachable, and whether delivery is paused. */
export async function checkDatabase(config: Config): Promise<Check> {
  const path = resolve(config.DATABASE_PATH);
  if (!existsSync(path)) {
    if (config.DATABASE_PATH === DEFAULT_DATABASE_PATH || existsSync(dirname(path))) {
      return { level: 'warn', text: `database: ${path} does not exist yet; npm start (or "dub-bridge migrate") creates it` };
    }
    return { level: 'fail', text: `database: the directory of ${path} does not exist; create it or fix DATABASE_PATH` };
  }
  const { migrationState, openCliDatabase } = await import('../database.js');
  const { deliveryPause } = await import('../queries.js');
  try {
    const { applied, pending } = migrationState(path);
    if (pending.length > 0) {
      return {
        level: 'fail',
        text: `database: ${pending.length} migration(s) pending on DATABASE_PATH ${path} (${pending.join(', ')}); run "dub-bridge migrate" or start the bridge`,
      };
    }
    const database = openCliDatabase(config);
    try {
      await database.store.ping();
      const stats = await database.store.stats();
      const pause = await deliveryPause(database.reader);
      const summary = `${path} reachable, migrated (${applied.at(-1)}), ${stats.inboxCount} events, ${stats.counts.pending} pending, ${stats.counts.dead} dead`;
      if (pause.paused) {
        const fix = pause.tenant ? `the dubApiKey of tenant ${pause.tenant} in TENANTS_FILE` : 'DUB_API_KEY';
        return { level: 'fail', text: `database: ${summary}; delivery PAUSED: Dub refused the key (${printable(pause.reason ?? '')}); fix ${fix}` };
      }
      return { level: stats.counts.dead > 0 ? 'warn' : 'ok', text: `database: ${summary}${stats.counts.dead > 0 ? ' (see "dub-bridge status")' : ''}` };
    } finally {
      database.close();
    }
  } catch (error) {
    return { level: 'fail', text: `database: ${printable((error as Error).message)} (DATABASE_PATH ${path})` };
  }
}

/**
 * The Dub key: one cheap authenticated call (GET /links/count) tells whether Dub accepts it.
 * `variable` names where the key comes from (DUB_API_KEY, or a tenant's dubApiKey).
 */
export async function checkDubKey(config: Config, apiKey: string | undefined, label: string, variable: string): Promise<Check> {
  if (!apiKey) {
    if (dubMode(config) === 'dry_run') {
      return {
        level: 'warn',
        text: `${label}: DRY RUN (DRY_RUN=1, no DUB_API_KEY): commands are recorded and logged, not sent to Dub; to go live set DUB_API_KEY, then "dub-bridge replay --all-dry-run" sends what was recorded`,
      };
    }
    return {
      level: 'fail',
      text: `${label}: no key: DUB_API_KEY is not set, so commands are kept pending until it is; set DUB_API_KEY (Dub → Settings → API Keys; tracking needs a Business plan), or DRY_RUN=1 for a dry run`,
    };
  }
  const { createDubClient, DubTransportError } = await import('../../dub/client.js');
  const client = createDubClient({ apiUrl: config.DUB_API_URL, apiKey, timeoutMs: config.DUB_TIMEOUT_MS });
  try {
    const response = await client.checkKey();
    if (response.status >= 200 && response.status < 300) return { level: 'ok', text: `${label}: ${config.DUB_API_URL} accepted the API key` };
    const message = printable((response.body as { error?: { message?: string } } | null)?.error?.message ?? '');
    if (response.status === 401 || response.status === 403) {
      return {
        level: 'fail',
        text: `${label}: ${config.DUB_API_URL} refused the API key (${response.status} ${message}); fix ${variable}: create a key in the Dub workspace settings`,
      };
    }
    return { level: 'fail', text: `${label}: ${config.DUB_API_URL} answered ${response.status} ${message}; check DUB_API_URL and ${variable}` };
  } catch (error) {
    if (!(error instanceof DubTransportError)) throw error;
    return { level: 'fail', text: `${label}: cannot reach ${config.DUB_API_URL}: ${printable(error.message)}; check DUB_API_URL and the network` };
  }
}

/** Per provider: its env secret, or tenants (TENANTS_FILE) with their own; unused ones on one line. */
export function checkSecrets(config: Config, providers: readonly ProviderDefinition[]): Check[] {
  const tenants = config.tenants?.tenants ?? [];
  const sources = providers.map((p) => ({
    name: p.source,
    variable: p.secretVariable,
    count: config.providers[p.source]?.secrets.length ?? 0,
    tenants: tenants.filter((t) => (tenantProvider(t, p)?.secrets.length ?? 0) > 0).length,
  }));
  const unused = sources.filter((s) => s.count === 0 && s.tenants === 0);
  if (unused.length === sources.length) {
    return [
      {
        level: 'fail',
        text: `secrets: no payment processor is configured, so every webhook is refused; set the variable of yours: ${sources.map((s) => `${s.variable} (${s.name})`).join(', ')}`,
      },
    ];
  }
  const checks = sources
    .filter((s) => !unused.includes(s))
    .map((s): Check => {
      const own = s.tenants > 0 ? `; ${s.tenants} tenant${s.tenants > 1 ? 's' : ''} with their own` : '';
      if (s.count > 0) return { level: 'ok', text: `${s.name}: ${s.variable} set (${s.count} secret${s.count > 1 ? 's: rotation in progress' : ''})${own}` };
      return { level: 'ok', text: `${s.name}: ${s.variable} not set${own}` };
    });
  if (unused.length > 0) {
    checks.push({ level: 'info', text: `not configured (their routes answer 503 until set): ${unused.map((s) => `${s.name} (${s.variable})`).join(', ')}` });
  }
  return checks;
}
