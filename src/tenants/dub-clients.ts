import type { Config } from '../config.js';
import type { DubClient } from '../dub/client.js';
import { tenantsOf } from './route.js';

/**
 * One Dub client per key: DUB_API_KEY for rows without a tenant (null = dry run, no key) and
 * each tenant's `dubApiKey` for its rows.
 */
export function createDubClients(config: Config, makeClient: (apiKey: string) => DubClient) {
  const fallback = config.DUB_API_KEY ? makeClient(config.DUB_API_KEY) : null;
  const byTenant = new Map(tenantsOf(config).map((t) => [t.id, makeClient(t.dubApiKey)]));
  return {
    fallback,
    /** The client for an outbox row's tenant; undefined when TENANTS_FILE no longer has it. */
    forTenant(tenant: string | null): DubClient | null | undefined {
      return tenant === null ? fallback : byTenant.get(tenant);
    },
  };
}
