import * as z from 'zod';
import { providers as registry } from '../handlers/index.js';
import type { ProviderDefinition } from '../handlers/provider.js';
import { secretOrList } from '../handlers/secret-list.js';
import { testEventsPolicies } from '../mappers/types.js';

/** `"providers": {"paddle": {"secret": "…", "accounts": ["…"]}}`: a tenant's settings for one provider. */
const providerBlock = (provider: ProviderDefinition) =>
  z
    .strictObject({
      /** Secrets of this tenant's own endpoint; absent = the provider's env variable. */
      secret: secretOrList(provider.secret).optional(),
      /** Accounts, shops or apps whose events on the shared route belong to this tenant. */
      accounts: z.array(z.string().trim().min(1)).default([]),
    })
    .refine((b) => b.accounts.length > 0 || b.secret, 'needs accounts or secret')
    .transform(({ secret, accounts }): TenantProvider => ({ secrets: secret ?? [], accounts }));

/** A tenant's view of one provider, whichever format the file used. */
export interface TenantProvider {
  secrets: string[];
  accounts: string[];
}

function tenantSchema(providers: readonly ProviderDefinition[]) {
  const legacy = Object.fromEntries(providers.flatMap((p) => (p.legacyTenantBlock ? [[p.legacyTenantBlock.key, p.legacyTenantBlock.schema.optional()]] : [])));
  const blocks = Object.fromEntries(providers.map((p) => [p.source, providerBlock(p).optional()]));
  return z.strictObject({
    /** Names the tenant in logs, in the outbox and in the URL `/webhooks/<source>/<id>`. */
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'use 1-63 lowercase letters, digits, - or _ (it is part of a URL)'),
    /** The Dub workspace API key this tenant's conversions go to. */
    dubApiKey: z.string().trim().min(1),
    /** Overrides TEST_EVENTS for this tenant. */
    testEvents: z.enum(testEventsPolicies).optional(),
    providers: z.strictObject(blocks).optional(),
    ...legacy,
  });
}

export interface Tenant {
  id: string;
  dubApiKey: string;
  testEvents?: (typeof testEventsPolicies)[number] | undefined;
  providers?: Record<string, TenantProvider | undefined> | undefined;
  [legacyBlock: string]: unknown;
}
export interface TenantsFile {
  tenants: Tenant[];
}

/** The tenant's settings for a provider (generic block first, then the older per-provider block); null when none. */
export function tenantProvider(tenant: Tenant, provider: ProviderDefinition): TenantProvider | null {
  const block = tenant.providers?.[provider.source];
  if (block) return block;
  const legacy = provider.legacyTenantBlock;
  const old = legacy ? (tenant[legacy.key] as Record<string, unknown> | undefined) : undefined;
  if (!legacy || !old) return null;
  return { secrets: (old[legacy.secretField] as string[] | undefined) ?? [], accounts: (old[legacy.accountsField] as string[] | undefined) ?? [] };
}

/** Where in the file a provider's secret and accounts of tenant `i` are (error messages name them). */
function paths(tenant: Tenant, i: number, provider: ProviderDefinition) {
  const legacy = provider.legacyTenantBlock;
  if (!tenant.providers?.[provider.source] && legacy && tenant[legacy.key]) {
    return { secret: ['tenants', i, legacy.key, legacy.secretField], accounts: ['tenants', i, legacy.key, legacy.accountsField] };
  }
  return { secret: ['tenants', i, 'providers', provider.source, 'secret'], accounts: ['tenants', i, 'providers', provider.source, 'accounts'] };
}

function fileSchema(providers: readonly ProviderDefinition[]) {
  return z.strictObject({ tenants: z.array(tenantSchema(providers)).min(1) }).superRefine(({ tenants }, ctx) => {
    // Each id, and each account of a provider, may belong to one tenant only, or routing would be ambiguous.
    const owners = new Map<string, string>();
    const claim = (key: string, shown: string, owner: string, path: PropertyKey[]) => {
      const previous = owners.get(key);
      if (previous !== undefined) ctx.addIssue({ code: 'custom', path, message: `${shown} is already used by tenant ${previous}` });
      else owners.set(key, owner);
    };
    tenants.forEach((t, i) => {
      claim(`id:${t.id}`, t.id, t.id, ['tenants', i, 'id']);
      for (const provider of providers) {
        const at = paths(t as Tenant, i, provider).accounts;
        for (const [j, account] of (tenantProvider(t as Tenant, provider)?.accounts ?? []).entries()) {
          claim(`${provider.source}:${account}`, account, t.id, [...at, j]);
        }
      }
    });
  });
}

/** Which providers have secrets in the env: a tenant without its own secret verifies with them. */
export type EnvSecrets = Record<string, boolean>;

/**
 * Parses the text of a tenants file. Returns the tenants, or a one-line problem naming the bad
 * field (never quoting the file's text, which holds secrets).
 */
export function parseTenantsFile(
  text: string,
  env: EnvSecrets,
  providers: readonly ProviderDefinition[] = registry,
): { ok: true; value: TenantsFile } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // V8's message quotes the text around the error; report only the position.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    return { ok: false, problem: `not valid JSON${position === undefined ? '' : ` (${lineAndColumn(text, Number(position))})`}` };
  }
  const parsed = fileSchema(providers).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, problem: `${issue.path.map(String).join('.') || '(file)'}: ${issue.message}` };
  }
  const file = parsed.data as TenantsFile;
  const problem = missingSecret(file, env, providers);
  return problem ? { ok: false, problem } : { ok: true, value: file };
}

/** A tenant whose webhooks could never verify is a configuration error, found at start. */
function missingSecret({ tenants }: TenantsFile, env: EnvSecrets, providers: readonly ProviderDefinition[]): string | null {
  for (const [i, t] of tenants.entries()) {
    for (const provider of providers) {
      const block = tenantProvider(t, provider);
      if (block && block.secrets.length === 0 && !env[provider.source]) {
        return `${paths(t, i, provider).secret.join('.')}: required when ${provider.secretVariable} is not set`;
      }
    }
  }
  return null;
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position).split('\n');
  return `line ${before.length} column ${before.at(-1)!.length + 1}`;
}
