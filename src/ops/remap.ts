import type { Config } from '../config.js';
import type { InboxRow } from '../db/schema.js';
import type { NewOutboxRecord, Store } from '../db/store.js';
import { providers as registry } from '../handlers/index.js';
import type { ProviderDefinition } from '../handlers/provider.js';
import { mapEvent } from '../ingest/ingest.js';
import type { MapResult } from '../mappers/types.js';
import { toRecord } from '../ingest/record.js';
import { routeOf, tenantsOf } from '../tenants/route.js';

export interface RemapDeps {
  store: Store;
  config: Config;
  /** The providers stored events may come from; the registry when absent. */
  providers?: readonly ProviderDefinition[];
}

/** Why a stored event could not be rebuilt. */
export type RemapFailure = 'no_payload' | 'unparseable' | 'unknown_provider';

/** A rebuilt event: its commands, and what today's mappers decided (for an event kept as unmapped). */
export type Rebuilt = { ok: true; records: NewOutboxRecord[]; result: MapResult } | { ok: false; reason: RemapFailure; detail?: string };

/**
 * Rebuilds the outbox records of a stored event from its raw payload with today's mappers, the
 * same records ingest would write now (same idempotency keys, so nothing is queued twice).
 * `tenant` is the tenant its existing rows belong to (null = DUB_API_KEY).
 */
export async function rebuildRecords(row: InboxRow, tenant: string | null, deps: RemapDeps): Promise<Rebuilt> {
  if (row.payload === null) return { ok: false, reason: 'no_payload' };
  // Never guess: a stored event of a provider this build does not serve is left alone.
  const provider = (deps.providers ?? registry).find((p) => p.source === row.source);
  if (!provider) return { ok: false, reason: 'unknown_provider' };
  let json: unknown;
  try {
    json = provider.storedJson ? provider.storedJson(row.payload) : JSON.parse(row.payload);
  } catch {
    return { ok: false, reason: 'unparseable' };
  }
  const tenantConfig = tenantsOf(deps.config).find((t) => t.id === tenant) ?? null;
  const route = routeOf(tenantConfig, deps.config);
  const identity = { eventKey: row.eventKey, eventType: row.eventType, account: row.account };
  let result: MapResult;
  try {
    result = await mapEvent(
      { provider, json, identity, payload: row.payload, route },
      { store: deps.store, settingsOf: (s) => deps.config.providers[s]?.settings ?? {} },
    );
  } catch (error) {
    return { ok: false, reason: 'unparseable', detail: (error as Error).message };
  }
  const received = {
    source: row.source,
    eventKey: row.eventKey,
    eventType: row.eventType,
    account: row.account,
    tenant,
    payload: row.payload,
    receivedAt: row.receivedAt,
  };
  return { ok: true, records: toRecord(received, result, deps.config.PROVISIONAL_SALE_HOLD_MS).outbox, result };
}
