import type { Config } from '../config.js';
import type { InboxRow } from '../db/schema.js';
import type { IngestStore, Store } from '../db/store.js';
import { BridgeError } from '../errors.js';
import type { ProviderDefinition } from '../handlers/provider.js';
import type { Logger } from '../logger.js';
import type { MapResult } from '../mappers/types.js';
import type { Metrics } from '../metrics.js';
import { routeOf, tenantsOf } from '../tenants/route.js';
import { mapEvent } from './ingest.js';
import { toRecord } from './record.js';

export interface MapperDeps {
  store: IngestStore & Pick<Store, 'getInbox'>;
  providers: readonly ProviderDefinition[];
  config: Config;
  logger: Logger;
  metrics: Metrics;
  now: () => number;
}

export interface MapReport {
  mapped: number;
  unmapped: number;
  queued: number;
}

const BATCH = 100;

/** Why a stored event cannot be mapped, or null once it parsed and mapped. */
type Mapped = { ok: true; result: MapResult } | { ok: false; reason: string };

async function decide(row: InboxRow, deps: MapperDeps): Promise<Mapped> {
  const provider = deps.providers.find((p) => p.source === row.source);
  if (!provider) return { ok: false, reason: `no provider ${row.source} in this build` };
  let json: unknown;
  try {
    json = provider.storedJson ? provider.storedJson(row.payload ?? '') : JSON.parse(row.payload ?? '');
  } catch {
    return { ok: false, reason: 'stored payload does not parse' };
  }
  const tenant = tenantsOf(deps.config).find((t) => t.id === row.tenant) ?? null;
  const identity = { eventKey: row.eventKey, eventType: row.eventType, account: row.account };
  try {
    const settingsOf = (source: string) => deps.config.providers[source]?.settings ?? {};
    const result = await mapEvent(
      { provider, json, identity, payload: row.payload ?? '', route: routeOf(tenant, deps.config) },
      { store: deps.store, settingsOf },
    );
    return { ok: true, result };
  } catch (error) {
    // A schema the payload fails, or a mapper bug: kept with the reason instead of blocking the queue.
    return { ok: false, reason: error instanceof BridgeError ? error.message : `mapping failed: ${(error as Error).message}` };
  }
}

/**
 * Maps received events into outbox rows right after the ack, oldest first (so a checkout's
 * customer link exists before its renewal is mapped). One event, one transaction; a second mapper
 * (another process or isolate) that takes the same row writes nothing. An event the mapper cannot
 * parse or map is kept as `unmapped` with the reason, logged once and counted; `replay --remap`
 * maps it after a fix. Single flight: calls while a run is going share it.
 */
export function createMapper(deps: MapperDeps) {
  const { store, logger, metrics } = deps;
  let running: Promise<MapReport> | null = null;

  async function mapOne(row: InboxRow, report: MapReport): Promise<void> {
    const decided = await decide(row, deps);
    if (!decided.ok) {
      const { applied } = await store.recordMapped(row, {
        inbox: { ...row, payload: row.payload ?? '', state: 'unmapped', reason: decided.reason },
        outbox: [],
        links: [],
      });
      if (!applied) return;
      report.unmapped++;
      metrics.unmapped({ source: row.source, type: row.eventType });
      logger.warn(
        { inboxId: row.id, source: row.source, type: row.eventType, eventId: row.eventKey, reason: decided.reason },
        'event kept as unmapped: fix the mapping, then replay --remap',
      );
      return;
    }
    const { result } = decided;
    // Scrubbing first: it is idempotent, and a crash before the mapping commits maps (and scrubs) again.
    if (result.outcome === 'compliance') await store.applyCompliance(result.compliance, row.id, deps.now());
    const received = {
      source: row.source,
      eventKey: row.eventKey,
      eventType: row.eventType,
      account: row.account,
      tenant: row.tenant,
      payload: row.payload ?? '',
      receivedAt: row.receivedAt,
    };
    const { applied, queued } = await store.recordMapped(row, toRecord(received, result, deps.config.PROVISIONAL_SALE_HOLD_MS));
    if (!applied) return;
    report.mapped++;
    report.queued += queued;
    if (result.outcome === 'ignored') metrics.ignored({ source: row.source, type: row.eventType });
  }

  async function run(): Promise<MapReport> {
    const report: MapReport = { mapped: 0, unmapped: 0, queued: 0 };
    for (;;) {
      const rows = await store.listReceived(BATCH);
      for (const row of rows) await mapOne(row, report);
      if (rows.length < BATCH) return report;
    }
  }

  return {
    /** Maps every received event; resolves with what this run did. */
    mapBacklog(): Promise<MapReport> {
      running ??= run().finally(() => (running = null));
      return running;
    },
    /**
     * Maps one event if it is still waiting (a Worker's request maps its own event: with every
     * invocation walking the whole backlog, a burst of N would cost N × N).
     */
    async mapInboxRow(inboxId: number): Promise<MapReport> {
      const report: MapReport = { mapped: 0, unmapped: 0, queued: 0 };
      const row = await store.getInbox(inboxId);
      if (row?.state === 'received') await mapOne(row, report);
      return report;
    },
  };
}

export type Mapper = ReturnType<typeof createMapper>;
