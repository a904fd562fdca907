import { z } from 'zod';

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
  DUB_API_KEY: z
    .string()
    .optional()
    .transform((v) => (v && v.trim() ? v.trim() : undefined)),
  DUB_API_URL: z.url({ protocol: /^https?$/ }).default('https://api.dub.co'),
  STRIPE_WEBHOOK_SECRET: secretList.pipe(
    z.array(z.string().startsWith('whsec_', 'each secret must start with whsec_')),
  ),
  SHOPIFY_API_SECRET: secretList,
  TEST_EVENTS: z.enum(['forward', 'skip']).default('forward'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Largest webhook body accepted, checked before the body is read. */
  MAX_BODY_BYTES: positiveInt(1024 * 1024),
  /** Per-request timeout toward Dub. */
  DUB_TIMEOUT_MS: positiveInt(10_000),
  /** Attempts before a retryable failure becomes a dead letter. */
  DELIVERY_MAX_ATTEMPTS: positiveInt(12),
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
  /** Raw payloads are pruned after this many days. */
  RETENTION_DAYS: positiveInt(30),
  /** Token for admin HTTP routes; absent = admin routes disabled. */
  ADMIN_TOKEN: z.string().min(16).optional(),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses an environment into a Config. Throws a ConfigError whose message is one line naming
 * the variable, so a bad deploy stops with a clear reason instead of misbehaving later.
 */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = configSchema.safeParse(cleaned);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const variable = String(issue.path[0] ?? 'environment');
  throw new ConfigError(`invalid configuration: ${variable}: ${issue.message}`);
}
