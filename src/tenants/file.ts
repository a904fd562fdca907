import * as z from 'zod';
import { testEventsPolicies } from '../mappers/types.js';

/** One secret or several (rotation), like the comma-separated env variables. */
const secrets = <T extends z.ZodString>(secret: T) =>
  z.union([secret, z.array(secret).min(1)]).transform((value) => (Array.isArray(value) ? value : [value]));

const shopDomain = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)+$/i, 'expected a shop domain such as acme.myshopify.com')
  .transform((shop) => shop.toLowerCase());

const tenant = z.strictObject({
  /** Names the tenant in logs, in the outbox and in the URL `/webhooks/stripe/<id>`. */
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'use 1-63 lowercase letters, digits, - or _ (it is part of a URL)'),
  /** The Dub workspace API key this tenant's conversions go to. */
  dubApiKey: z.string().trim().min(1),
  /** Overrides TEST_EVENTS for this tenant. */
  testEvents: z.enum(testEventsPolicies).optional(),
  shopify: z
    .strictObject({
      shops: z.array(shopDomain).min(1),
      /** The app's client secret; absent = SHOPIFY_API_SECRET (one app installed in several shops). */
      apiSecret: secrets(z.string().trim().min(1)).optional(),
    })
    .optional(),
  stripe: z
    .strictObject({
      /** Connected accounts (`event.account`) whose events arrive on `/webhooks/stripe`. */
      accounts: z.array(z.string().regex(/^acct_[A-Za-z0-9]+$/, 'expected a Stripe account id (acct_…)')).default([]),
      /** Secret of this tenant's own endpoint `/webhooks/stripe/<id>` (and of its Connect endpoint, if any). */
      webhookSecret: secrets(z.string().trim().startsWith('whsec_', 'each secret must start with whsec_')).optional(),
    })
    .refine((s) => s.accounts.length > 0 || s.webhookSecret, 'needs accounts or webhookSecret')
    .optional(),
});

const tenantsFile = z
  .strictObject({ tenants: z.array(tenant).min(1) })
  .superRefine(({ tenants }, ctx) => {
    // Each id, shop and account may belong to one tenant only, or routing would be ambiguous.
    const owners = new Map<string, string>();
    const claim = (key: string, owner: string, path: PropertyKey[]) => {
      const previous = owners.get(key);
      if (previous !== undefined) ctx.addIssue({ code: 'custom', path, message: `${key.split(':')[1]} is already used by tenant ${previous}` });
      else owners.set(key, owner);
    };
    tenants.forEach((t, i) => {
      claim(`id:${t.id}`, t.id, ['tenants', i, 'id']);
      t.shopify?.shops.forEach((shop, j) => claim(`shop:${shop}`, t.id, ['tenants', i, 'shopify', 'shops', j]));
      t.stripe?.accounts.forEach((account, j) => claim(`account:${account}`, t.id, ['tenants', i, 'stripe', 'accounts', j]));
    });
  });

export type Tenant = z.infer<typeof tenant>;
export type TenantsFile = z.infer<typeof tenantsFile>;

/** Which env secrets exist: a tenant without its own secret verifies with them. */
export interface EnvSecrets {
  stripe: boolean;
  shopify: boolean;
}

/**
 * Parses the text of a tenants file. Returns the tenants, or a one-line problem naming the bad
 * field (never quoting the file's text, which holds secrets).
 */
export function parseTenantsFile(text: string, env: EnvSecrets): { ok: true; value: TenantsFile } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // V8's message quotes the text around the error; report only the position.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    return { ok: false, problem: `not valid JSON${position === undefined ? '' : ` (${lineAndColumn(text, Number(position))})`}` };
  }
  const parsed = tenantsFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, problem: `${issue.path.map(String).join('.') || '(file)'}: ${issue.message}` };
  }
  const problem = missingSecret(parsed.data, env);
  return problem ? { ok: false, problem } : { ok: true, value: parsed.data };
}

/** A tenant whose webhooks could never verify is a configuration error, found at start. */
function missingSecret({ tenants }: TenantsFile, env: EnvSecrets): string | null {
  for (const [i, t] of tenants.entries()) {
    if (t.shopify && !t.shopify.apiSecret && !env.shopify) {
      return `tenants.${i}.shopify.apiSecret: required when SHOPIFY_API_SECRET is not set`;
    }
    if (t.stripe && !t.stripe.webhookSecret && !env.stripe) {
      return `tenants.${i}.stripe.webhookSecret: required when STRIPE_WEBHOOK_SECRET is not set`;
    }
  }
  return null;
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position).split('\n');
  return `line ${before.length} column ${before.at(-1)!.length + 1}`;
}
