import type { Config } from '../config.js';
import { BridgeError } from '../errors.js';
import { createStripeVerifier, type StripeVerifier, type StripeVerifierOptions } from '../verify/stripe.js';
import type { VerifyResult } from '../verify/result.js';
import type { Tenant } from './file.js';
import { routeOf, tenantsOf, type TenantRoute } from './route.js';

export interface StripeRoute extends TenantRoute {
  verify: StripeVerifier;
}

/**
 * Routes Stripe webhooks to tenants.
 *
 * `/webhooks/stripe/:tenant` names its tenant in the path, so it is verified with that tenant's
 * own `webhookSecret` only (each Stripe endpoint has its own secret).
 *
 * `/webhooks/stripe` serves the env settings and Connect: a Connect event's `account` is only
 * known after the body is parsed, and parsing comes after verification. So the signature is
 * checked first with every configured secret (env and tenants), remembering which one matched;
 * then the account picks the tenant, and the matching secret must belong to that tenant or to
 * the env (the platform's Connect endpoint signs events of all its accounts). Binding the secret
 * this way keeps a tenant that knows only its own secret from sending events into another
 * tenant's Dub workspace by naming that tenant's account.
 */
export function createStripeRouter(config: Config, options: Pick<StripeVerifierOptions, 'now' | 'cryptoProvider'> = {}) {
  const envSecrets = config.STRIPE_WEBHOOK_SECRET;
  const tenants = tenantsOf(config).filter((t) => t.stripe);
  const own = (t: Tenant) => t.stripe?.webhookSecret ?? [];
  // One verifier per distinct secret, so the secret that matched is known.
  const secrets = [...new Set([...envSecrets, ...tenants.flatMap(own)])];
  const verifiers = secrets.map((secret) => ({ secret, verify: createStripeVerifier({ ...options, secrets: [secret] }) }));
  const byAccount = new Map(tenants.flatMap((t) => t.stripe!.accounts.map((account) => [account, t] as const)));
  const byPath = new Map(
    tenants.flatMap((t) => (own(t).length ? [[t.id, { ...routeOf(t, config), verify: createStripeVerifier({ ...options, secrets: own(t) }) }] as const] : [])),
  );

  async function verifyAny(rawBody: string, header: string | null): Promise<VerifyResult<{ event: unknown; secret: string }>> {
    let last: VerifyResult<never> | null = null;
    for (const { secret, verify } of verifiers) {
      const result = await verify(rawBody, header);
      if (result.ok) return { ok: true, value: { event: result.value, secret } };
      // A missing header or a body that is not JSON fails the same way under every secret.
      if (result.reason !== 'invalid_signature') return result;
      last = result;
    }
    return last!;
  }

  return {
    /** `/webhooks/stripe/:tenant`: the tenant's route and verifier, or a BridgeError. */
    forPath(id: string): StripeRoute {
      const route = byPath.get(id);
      if (route) return route;
      if (tenants.some((t) => t.id === id)) {
        throw new BridgeError('source_not_configured', `tenant ${id} has no stripe.webhookSecret in TENANTS_FILE, which /webhooks/stripe/${id} needs`);
      }
      throw new BridgeError('unknown_tenant', `no tenant ${id} in TENANTS_FILE`);
    },

    /** `/webhooks/stripe`: a verifier trying every configured secret, or a BridgeError. */
    forShared() {
      if (verifiers.length === 0) {
        throw new BridgeError('source_not_configured', 'Stripe webhooks are not configured: set STRIPE_WEBHOOK_SECRET (whsec_…, comma-separated during rotation)');
      }
      return verifyAny;
    },

    /** After `forShared()` verified: the tenant of the event's account, checked against the matching secret. */
    forEvent(account: string | undefined, secret: string): TenantRoute {
      const tenant = account ? byAccount.get(account) : undefined;
      const signedByEnv = envSecrets.includes(secret);
      if (tenant) {
        if (signedByEnv || own(tenant).includes(secret)) return routeOf(tenant, config);
        throw new BridgeError('invalid_signature', `event of account ${account} is signed with a secret that is neither tenant ${tenant.id}'s stripe.webhookSecret nor STRIPE_WEBHOOK_SECRET`);
      }
      if (signedByEnv) return routeOf(null, config);
      throw new BridgeError(
        'unknown_tenant',
        account
          ? `no tenant in TENANTS_FILE lists Stripe account ${account}`
          : `event has no account (not a Connect event): send this tenant's endpoint to /webhooks/stripe/<tenant>`,
      );
    },
  };
}

export type StripeRouter = ReturnType<typeof createStripeRouter>;
