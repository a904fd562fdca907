import type { Config } from '../config.js';
import type { TestEventsPolicy } from '../mappers/types.js';
import type { Tenant } from './file.js';

/** Who a webhook belongs to: the tenant whose Dub key delivers it (null = env) and its test policy. */
export interface TenantRoute {
  tenant: string | null;
  testEvents: TestEventsPolicy;
}

/** The route of a tenant, or of the env shorthand when `tenant` is null. */
export function routeOf(tenant: Tenant | null, config: Config): TenantRoute {
  return { tenant: tenant?.id ?? null, testEvents: tenant?.testEvents ?? config.TEST_EVENTS };
}

/** The tenants of TENANTS_FILE (none without one). */
export const tenantsOf = (config: Config): Tenant[] => config.tenants?.tenants ?? [];

/** Whether a shop or account no tenant lists is refused (UNLISTED_TENANTS; `reject` by default once a tenants file is set). */
export const rejectsUnlisted = (config: Config): boolean => (config.UNLISTED_TENANTS ?? (config.tenants ? 'reject' : 'default')) === 'reject';
