import type { DeliveryMode } from '../handlers/health.js';

/**
 * The one line a bridge prints when it starts: which providers will accept webhooks (and which
 * variable each of the others needs), whether commands reach Dub, and which database it uses.
 * Pure, so the Node entry and tests build the same line; the caller passes what it knows.
 */

/** What the summary needs of a registered provider (a ProviderDefinition has these). */
export interface SummaryProvider {
  source: string;
  label: string;
  secretVariable: string;
}

/** How commands reach Dub: sent (`live`), recorded on purpose (`dry_run`), or kept pending until a key is set (`no_api_key`); as /healthz says it. */
export type DubMode = DeliveryMode;

/** The config fields the summary reads (a parsed Config has them). */
export interface SummaryConfig {
  DUB_API_KEY?: string | undefined;
  DUB_API_URL: string;
  DRY_RUN?: boolean | undefined;
  DATABASE_PATH: string;
  /** Per provider source: its env secrets (empty = not configured). */
  providers: Record<string, { secrets: readonly string[] } | undefined>;
}

export interface SummaryInput {
  config: SummaryConfig;
  providers: readonly SummaryProvider[];
  /** Per provider source: how many TENANTS_FILE tenants bring their own secret (absent = 0). */
  tenantSecrets?: Record<string, number>;
  /** The migration the database is at after start, and how many this start applied. */
  migration: { latest: string | null; appliedNow: number };
  /** The absolute database path, when the caller resolved it (else DATABASE_PATH as given). */
  databasePath?: string;
}

export interface StartupSummary {
  /** `dub-bridge ready: stripe ready (1 secret) · shopify not configured (SHOPIFY_API_SECRET) · Dub DRY RUN … · database …` */
  message: string;
  /** The same facts for the JSON log line. */
  fields: {
    providers: Record<string, { ready: boolean; secrets: number; tenants: number; variable: string }>;
    dub: DubMode;
    dubApiUrl: string;
    database: string;
    migration: string | null;
    migrationsApplied: number;
  };
}

/** `live` with a key; without one, `dry_run` when DRY_RUN=1 says it is on purpose, else `no_api_key`. */
export function dubMode(config: Pick<SummaryConfig, 'DUB_API_KEY' | 'DRY_RUN'>): DubMode {
  if (config.DUB_API_KEY) return 'live';
  return config.DRY_RUN ? 'dry_run' : 'no_api_key';
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const dubText: Record<DubMode, (url: string) => string> = {
  live: (url) => `Dub live (${url})`,
  dry_run: () => 'Dub DRY RUN (DRY_RUN=1, no DUB_API_KEY: commands are recorded and logged, not sent)',
  no_api_key: () => 'Dub NO KEY (DUB_API_KEY is not set: commands are kept pending until it is; DRY_RUN=1 records them as a dry run)',
};

/** Builds the startup line and its fields. */
export function startupSummary(input: SummaryInput): StartupSummary {
  const { config, migration } = input;
  const providers: StartupSummary['fields']['providers'] = {};
  const parts: string[] = [];
  for (const provider of input.providers) {
    const secrets = config.providers[provider.source]?.secrets.length ?? 0;
    const tenants = input.tenantSecrets?.[provider.source] ?? 0;
    const ready = secrets > 0 || tenants > 0;
    providers[provider.source] = { ready, secrets, tenants, variable: provider.secretVariable };
    const counts = [secrets > 0 ? plural(secrets, 'secret') : '', tenants > 0 ? plural(tenants, 'tenant') : ''].filter(Boolean).join(', ');
    parts.push(ready ? `${provider.source} ready (${counts})` : `${provider.source} not configured (${provider.secretVariable})`);
  }
  const dub = dubMode(config);
  const database = input.databasePath ?? config.DATABASE_PATH;
  const applied = migration.appliedNow > 0 ? `, ${plural(migration.appliedNow, 'migration')} applied now` : '';
  const at = migration.latest ? `migrated to ${migration.latest}${applied}` : 'no migrations';
  return {
    message: `dub-bridge ready: ${parts.join(' · ')} · ${dubText[dub](config.DUB_API_URL)} · database ${database} (${at})`,
    fields: { providers, dub, dubApiUrl: config.DUB_API_URL, database, migration: migration.latest, migrationsApplied: migration.appliedNow },
  };
}
