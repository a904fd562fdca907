import * as z from 'zod';
import { testEventsPolicies } from './mappers/types.js';
import type { TenantsFile } from './tenants/file.js';
import { loadTenantsFile } from './tenants/load.js';

const secretList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** The environment contract from DESIGN.md, plus delivery tuning. Shared by Node and Workers. */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
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
    .transform((v) => (v && v.trim() ? v.trim() : undefined)),
  DUB_API_URL: z.url({ protocol: /^https?$/ }).default('https://api.dub.co'),
  STRIPE_WEBHOOK_SECRET: secretList.pipe(
    z.array(z.string().startsWith('whsec_', 'each secret must start with whsec_')),
  ),
  SHOPIFY_API_SECRET: secretList,
  /**
   * Optional Stripe secret or restricted key (read access to invoices). Lets refunds find their
   * invoice on API versions 2025-03-31 and newer, where charges no longer name it.
   */
  STRIPE_API_KEY: z
    .string()
    .trim()
    .regex(/^(sk|rk)_/, 'must be a Stripe secret (sk_…) or restricted (rk_…) key')
    .optional(),
  /** Stripe API base URL (tests point it at a local stand-in). */
  STRIPE_API_BASE: z.url({ protocol: /^https?$/ }).default('https://api.stripe.com'),
  /** Stripe `livemode: false` / Shopify test orders: forward, skip, or forward tagged `metadata.testEvent`. */
  TEST_EVENTS: z.enum(testEventsPolicies).default('forward'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
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
  /** JSON file of tenants (several shops / Stripe accounts, each with its own Dub key); docs/tenants.md. */
  TENANTS_FILE: z.string().trim().min(1).optional(),
});

/** The parsed environment, plus the tenants read from TENANTS_FILE when it is set. */
export type Config = z.infer<typeof configSchema> & { tenants?: TenantsFile };

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses an environment into a Config. Throws a ConfigError whose message is one line naming
 * the variable, so a bad deploy stops with a clear reason instead of misbehaving later. When
 * TENANTS_FILE is set the file is read (with `readFile`, default Node's fs) and validated too.
 */
export function parseConfig(env: Record<string, string | undefined>, readFile?: (path: string) => string): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = configSchema.safeParse(cleaned);
  if (result.success) return withTenants(result.data, readFile);
  const issue = result.error.issues[0]!;
  const variable = String(issue.path[0] ?? 'environment');
  throw new ConfigError(`invalid configuration: ${variable}: ${issue.message}`);
}

function withTenants(config: Config, readFile?: (path: string) => string): Config {
  if (!config.TENANTS_FILE) return config;
  const env = { stripe: config.STRIPE_WEBHOOK_SECRET.length > 0, shopify: config.SHOPIFY_API_SECRET.length > 0 };
  const loaded = loadTenantsFile(config.TENANTS_FILE, env, readFile);
  if (!loaded.ok) throw new ConfigError(`invalid configuration: TENANTS_FILE (${config.TENANTS_FILE}): ${loaded.problem}`);
  return { ...config, tenants: loaded.value };
}
