import * as z from 'zod';
import { providers as registry } from './handlers/index.js';
import type { ProviderDefinition } from './handlers/provider.js';
import { commaList } from './handlers/secret-list.js';
import { testEventsPolicies } from './mappers/types.js';
import type { TenantsFile } from './tenants/file.js';
import { loadTenants } from './tenants/load.js';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** The environment contract from DESIGN.md, plus delivery tuning. Shared by Node and Workers. */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  /** Address the Node server listens on (0.0.0.0 in a container; 127.0.0.1 behind a local proxy). */
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  DATABASE_PATH: z.string().min(1).default('./data/dub-bridge.sqlite'),
  /**
   * SQLite durability (Node). FULL: every commit reaches the disk before it returns, so an
   * acknowledged event survives a power cut. NORMAL: commits survive a crash of the bridge but a
   * power cut or kernel crash may lose the last ones; faster delivery. docs/performance.md.
   */
  SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL']).default('FULL'),
  DUB_API_KEY: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined)
    // Dub's keys are `dub_` and 24 characters: a shorter value is a placeholder, not a key.
    .pipe(z.string().min(20, 'too short for a Dub API key (Dub → Settings → API Keys)').optional()),
  DUB_API_URL: z.url({ protocol: /^https?$/ }).default('https://api.dub.co'),
  /** Providers' test events (Stripe `livemode: false`, Shopify `test: true`, sandboxes): forward, skip, or forward tagged `metadata.testEvent`. */
  TEST_EVENTS: z.enum(testEventsPolicies).default('forward'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** `json` (one object per line, for log collectors) or `pretty` (for a terminal). */
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  /**
   * `1`: no DUB_API_KEY on purpose (demo, first look): commands are recorded and logged, marked
   * `dry_run`, and can be sent later with `replay`. Without it a missing key keeps them pending.
   */
  DRY_RUN: z.stringbool().default(false),
  /** Bearer token that `GET /metrics` requires when set (the endpoint is public otherwise). */
  METRICS_TOKEN: z.string().trim().min(16, 'use at least 16 characters').optional(),
  /** Sign-in token of the operator console at /console; the console is off without it. */
  CONSOLE_TOKEN: z.string().trim().min(16, 'use at least 16 characters').optional(),
  /** Largest webhook body accepted, checked before the body is read. */
  MAX_BODY_BYTES: positiveInt(1024 * 1024),
  /** Per-request timeout toward Dub. */
  DUB_TIMEOUT_MS: positiveInt(10_000),
  /** Attempts before a retryable failure becomes a dead letter (24: about 6 h of retrying, see docs/delivery.md). */
  DELIVERY_MAX_ATTEMPTS: positiveInt(24),
  /** First retry delay; doubles each attempt (full jitter), capped by DELIVERY_MAX_BACKOFF_MS. */
  DELIVERY_BASE_BACKOFF_MS: positiveInt(1_000),
  DELIVERY_MAX_BACKOFF_MS: positiveInt(60 * 60 * 1000),
  /** Concurrent requests to Dub. */
  DELIVERY_CONCURRENCY: positiveInt(4),
  /** Requests per minute toward Dub (Business plan: 1,200). */
  DUB_RATE_LIMIT_PER_MINUTE: positiveInt(1_200),
  /** How often the sweeper looks for due retries and expired leases (Node). */
  SWEEP_INTERVAL_MS: positiveInt(5_000),
  /** How long a claimed row is reserved for one dispatcher before another may take it. */
  LEASE_MS: positiveInt(60_000),
  /** While Dub refuses the key (401/403), how often one row probes it again. */
  DELIVERY_PAUSE_PROBE_MS: positiveInt(60_000),
  /** On SIGTERM, how long in-flight deliveries may take before the process exits anyway. */
  SHUTDOWN_GRACE_MS: positiveInt(10_000),
  /**
   * How long a subscription's first-invoice sale without the merchant's attribution waits for
   * its checkout session (Stripe may send the invoice first) before it is sent as it is.
   */
  PROVISIONAL_SALE_HOLD_MS: z.coerce.number().int().min(0).default(30_000),
  /** Raw payloads are pruned after this many days. */
  RETENTION_DAYS: positiveInt(30),
  /**
   * Finished rows (inbox and delivered/skipped outbox) are deleted after this many days: longer
   * than every provider's retry window (Paddle 3 days, Stripe 3 days) and Dub's 7-day dedupe.
   */
  ROW_RETENTION_DAYS: positiveInt(90),
  /**
   * With a tenants file: what happens to a shop or account that no tenant lists. `reject` (404,
   * nothing stored) or `default` (the env settings handle it).
   */
  UNLISTED_TENANTS: z.enum(['reject', 'default']).optional(),
  /** JSON file of tenants (several shops / Stripe accounts, each with its own Dub key); docs/tenants.md. */
  TENANTS_FILE: z.string().trim().min(1).optional(),
  /** The same tenants document as TENANTS_FILE, given inline (Workers have no file system: a secret). */
  TENANTS_JSON: z.string().trim().min(1).optional(),
});

/** One provider's part of the config: its secrets (empty = not configured) and extra settings. */
export interface ProviderConfig {
  secrets: string[];
  settings: Record<string, unknown>;
}

type BaseConfig = z.infer<typeof configSchema>;

/**
 * The parsed environment: the shared variables typed, each provider's secrets and settings under
 * `providers`, the raw provider variables by name, and the tenants read from TENANTS_FILE.
 */
export type Config = BaseConfig & {
  providers: Record<string, ProviderConfig>;
  tenants?: TenantsFile;
  [providerVariable: string]: unknown;
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The whole schema: the shared variables plus each provider's secret variable and settings. */
export function fullConfigSchema(providers: readonly ProviderDefinition[] = registry) {
  const shape: Record<string, z.ZodType> = { ...configSchema.shape };
  for (const provider of providers) {
    shape[provider.secretVariable] = commaList.pipe(z.array(provider.secret as z.ZodType<string, string>));
    Object.assign(shape, provider.settings?.shape ?? {});
  }
  return z.object(shape);
}

/** Placeholders copied from an example file must never open a door or reach Dub. */
function placeholderProblems(env: Record<string, string>): string[] {
  return Object.entries(env)
    .filter(([name, value]) => /SECRET|KEY|TOKEN|AUTH/.test(name) && /replace[_-]?with|changeme|^<.*>$|^x{4,}$/i.test(value))
    .map(([name]) => `${name}: looks like a placeholder from an example file; set the real value or leave it empty`);
}

/**
 * Parses an environment into a Config. Throws a ConfigError naming every bad variable at once,
 * so a bad deploy stops with a clear reason instead of misbehaving later. When TENANTS_FILE is set
 * the file is read (with `readFile`, default Node's fs) and validated too.
 */
export function parseConfig(
  env: Record<string, string | undefined>,
  readFile?: (path: string) => string,
  providers: readonly ProviderDefinition[] = registry,
): Config {
  const schema = fullConfigSchema(providers);
  const cleaned = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '' && entry[0] in schema.shape),
  );
  const result = schema.safeParse(cleaned);
  const problems = placeholderProblems(cleaned);
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(`${String(issue.path[0] ?? 'environment')}: ${issue.message}`);
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration: ${[...new Set(problems)].join('; ')}`);
  const parsed = result.data as BaseConfig & Record<string, unknown>;
  const byProvider = Object.fromEntries(
    providers.map((p): [string, ProviderConfig] => [
      p.source,
      {
        secrets: parsed[p.secretVariable] as string[],
        settings: Object.fromEntries(Object.keys(p.settings?.shape ?? {}).map((key) => [key, parsed[key]])),
      },
    ]),
  );
  return withTenants({ ...parsed, providers: byProvider }, providers, readFile);
}

/** TENANTS_FILE (read from disk) or TENANTS_JSON (inline), validated alike; see tenants/load.ts. */
function withTenants(config: Config, providers: readonly ProviderDefinition[], readFile?: (path: string) => string): Config {
  if (!config.TENANTS_FILE && !config.TENANTS_JSON) return config;
  const env = Object.fromEntries(providers.map((p) => [p.source, config.providers[p.source]!.secrets.length > 0]));
  const loaded = loadTenants(config, env, providers, readFile);
  if (!loaded.ok) throw new ConfigError(`invalid configuration: ${loaded.problem}`);
  return { ...config, tenants: loaded.value };
}
