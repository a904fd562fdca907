import type { Config } from '../config.js';
import { BridgeError } from '../errors.js';
import type { ProviderDefinition, Verifier, WebhookRequest } from '../handlers/provider.js';
import { tenantProvider, type Tenant } from './file.js';
import { rejectsUnlisted, routeOf, tenantsOf, type TenantRoute } from './route.js';

/** How a request will be verified, chosen before its body is read; `route` is set when already known. */
export interface VerifyPlan {
  verify: Verifier;
  route: TenantRoute | null;
}

/** Caller-controlled text in a message stays short. */
const clip = (text: string) => (text.length > 100 ? `${text.slice(0, 100)}…` : text);

/**
 * Routes one provider's webhooks to tenants and picks the secrets that may verify them.
 *
 * `/webhooks/<source>/<tenant>` names its tenant, so only that tenant's own secrets verify it.
 * On `/webhooks/<source>`, a provider that names its account in a header (Shopify's shop domain)
 * is routed before verification; otherwise every configured secret is tried, the event's account
 * picks the tenant afterwards, and the secret that matched must belong to that tenant or to the
 * env (a platform endpoint signs events of all its accounts). Binding the secret this way keeps a
 * tenant that knows only its own secret from sending events into another tenant's Dub workspace.
 */
export function createProviderRouter(provider: ProviderDefinition, config: Config, now: () => number) {
  const { label, source, secretVariable } = provider;
  const settings = config.providers[source]?.settings ?? {};
  const envSecrets = config.providers[source]?.secrets ?? [];
  const make = (secrets: readonly string[]) => provider.createVerifier(secrets, { now, settings });
  const tenants = tenantsOf(config).flatMap((tenant) => {
    const block = tenantProvider(tenant, provider);
    return block ? [{ tenant, ...block, verify: block.secrets.length ? make(block.secrets) : null }] : [];
  });
  type Entry = (typeof tenants)[number];
  const envVerify = envSecrets.length ? make(envSecrets) : null;
  const allSecrets = [...new Set([...envSecrets, ...tenants.flatMap((t) => t.secrets)])];
  const anyVerify = allSecrets.length ? make(allSecrets) : null;
  const byAccount = new Map(tenants.flatMap((t) => t.accounts.map((account) => [account, t] as const)));
  const byId = new Map(tenants.map((t) => [t.tenant.id, t]));
  const route = (tenant: Tenant | null) => routeOf(tenant, config);

  const notConfigured = () => new BridgeError('source_not_configured', `${label} webhooks are not configured: set ${secretVariable} (${provider.secretHint})`);
  const unknownAccount = (account: string) => new BridgeError('unknown_tenant', `no tenant in TENANTS_FILE lists ${label} account ${clip(account)}`);

  /** A provider whose account is in a header: that tenant's secrets (or the env's), before the body. */
  function planByHeader(account: string | null): VerifyPlan {
    const entry = account ? byAccount.get(account) : undefined;
    if (entry) return { verify: entry.verify ?? envVerify!, route: route(entry.tenant) };
    if (!envVerify && tenants.length === 0) throw notConfigured();
    if (!account) {
      if (envVerify) return { verify: envVerify, route: route(null) };
      throw new BridgeError('missing_header', `missing the ${label} account header`);
    }
    if (envVerify && !(tenants.length > 0 && rejectsUnlisted(config))) return { verify: envVerify, route: route(null) };
    throw unknownAccount(account);
  }

  return {
    /** The verifier (and route, where known) for a request; throws a BridgeError to refuse it. */
    plan(request: WebhookRequest, pathTenant: string | undefined): VerifyPlan {
      if (pathTenant !== undefined) {
        const entry = byId.get(pathTenant);
        if (entry?.verify) return { verify: entry.verify, route: route(entry.tenant) };
        if (entry || tenantsOf(config).some((t) => t.id === pathTenant)) {
          throw new BridgeError(
            'source_not_configured',
            `tenant ${pathTenant} has no ${source} secret in TENANTS_FILE, which /webhooks/${source}/${pathTenant} needs`,
          );
        }
        throw new BridgeError('unknown_tenant', `no tenant ${clip(pathTenant)} in TENANTS_FILE`);
      }
      if (provider.accountFromHeaders) return planByHeader(provider.accountFromHeaders(request));
      if (!anyVerify) throw notConfigured();
      return { verify: anyVerify, route: null };
    },

    /** After a shared-route verification: the tenant of the event's account, checked against the secret that matched. */
    routeEvent(account: string | null, secret: string): TenantRoute {
      const entry = account ? byAccount.get(account) : undefined;
      const signedByEnv = envSecrets.includes(secret);
      if (entry) {
        if (signedByEnv || entry.secrets.includes(secret)) return route(entry.tenant);
        throw new BridgeError(
          'invalid_signature',
          `event of ${label} account ${account} is signed with a secret that is neither tenant ${entry.tenant.id}'s nor ${secretVariable}`,
        );
      }
      if (account && tenants.length > 0 && rejectsUnlisted(config)) throw unknownAccount(account);
      if (signedByEnv) return route(null);
      // A secret that one tenant alone holds, and that tenant routes by no account, names it.
      const owners: Entry[] = tenants.filter((t) => t.secrets.includes(secret));
      if (owners.length === 1 && owners[0]!.accounts.length === 0) return route(owners[0]!.tenant);
      if (account) throw unknownAccount(account);
      throw new BridgeError('unknown_tenant', `event has no account: send this tenant's endpoint to /webhooks/${source}/<tenant>`);
    },
  };
}

export type ProviderRouter = ReturnType<typeof createProviderRouter>;
