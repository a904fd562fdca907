import type { OutboxRow, OutboxState } from '../db/schema.js';
import type { NewOutboxRecord } from '../db/store.js';
import { rebuildRecords, type RemapDeps } from './remap.js';

/** Which rows to replay (the CLI's `--id`, `--event`, `--from/--to`, `--all-dead`). */
export type ReplaySelector =
  | { by: 'ids'; ids: number[] }
  /** An inbox id, or a provider event id (Stripe `evt_…`, Shopify event/webhook id). */
  | { by: 'event'; event: string }
  /** Rows created in [from, to) (ms since epoch). */
  | { by: 'range'; from: number; to: number }
  | { by: 'allDead' };

export interface ReplayOptions {
  /** Rebuild the commands from the stored raw payload with today's mappers before sending. */
  remap?: boolean;
  /** Which states to replay; default: any finished state for `ids`/`event`, dead letters otherwise. */
  states?: OutboxState[];
}

export interface ReplayDeps extends RemapDeps {
  now: () => number;
}

export interface ReplayReport {
  /** Finished rows the selector matched (pending rows are never touched: they are on their way). */
  matched: number;
  /** Rows made pending again, due now; the running bridge's sweeper sends them. */
  requeued: number;
  /** Of those, rows whose command was rebuilt (`remap`). */
  remapped: number;
  /** New rows a remapped event produced that it had not before (`event` selector only). */
  added: number;
  /** Rows left as they were, each explained in `problems`. */
  unchanged: number;
  problems: string[];
}

const FINISHED: OutboxState[] = ['dead', 'delivered', 'not_attributed', 'skipped'];

/**
 * Sends stored commands to Dub again. Safe to repeat: sales carry a deterministic invoiceId and
 * Dub keeps one sale per invoiceId, one lead per customer and event name; refunds are checked
 * against the sale ledger; remapped commands keep the outbox's unique keys.
 */
export async function replay(selector: ReplaySelector, options: ReplayOptions, deps: ReplayDeps): Promise<ReplayReport> {
  const report: ReplayReport = { matched: 0, requeued: 0, remapped: 0, added: 0, unchanged: 0, problems: [] };
  const states = (options.states ?? (selector.by === 'ids' || selector.by === 'event' ? FINISHED : ['dead'])).filter((state) => state !== 'pending');
  const { store } = deps;
  let rows: OutboxRow[];
  let eventInboxId: number | null = null;
  switch (selector.by) {
    case 'ids':
      rows = await store.listOutbox({ ids: selector.ids, states });
      for (const id of selector.ids.filter((id) => !rows.some((row) => row.id === id))) {
        const row = await store.getOutbox(id);
        report.problems.push(row ? `outbox ${id} is ${row.state}, not replayed` : `outbox ${id} not found`);
      }
      break;
    case 'event': {
      const inbox = await store.findInboxByEvent(selector.event);
      if (!inbox) {
        report.problems.push(`event ${selector.event} not found`);
        return report;
      }
      eventInboxId = inbox.id;
      rows = await store.listOutbox({ inboxIds: [inbox.id], states });
      break;
    }
    case 'range':
      rows = await store.listOutbox({ from: selector.from, to: selector.to, states });
      break;
    case 'allDead':
      rows = await store.listOutbox({ states });
      break;
  }
  report.matched = rows.length;
  if (!options.remap) {
    if (rows.length) report.requeued = await store.requeue({ ids: rows.map((row) => row.id), states }, deps.now());
    return report;
  }
  const byInbox = new Map<number, OutboxRow[]>();
  if (eventInboxId !== null) byInbox.set(eventInboxId, []);
  for (const row of rows) byInbox.set(row.inboxId, [...(byInbox.get(row.inboxId) ?? []), row]);
  for (const [inboxId, group] of byInbox) await remapGroup(inboxId, group, inboxId === eventInboxId, deps, report);
  return report;
}

/** Rebuilds one event's commands and puts each into the row that held its earlier version. */
async function remapGroup(inboxId: number, rows: OutboxRow[], addMissing: boolean, deps: ReplayDeps, report: ReplayReport) {
  const { store } = deps;
  const inbox = await store.getInbox(inboxId);
  const siblings = rows.length ? rows : await store.listOutbox({ inboxIds: [inboxId], states: ['pending', ...FINISHED] });
  // The tenant the event was routed to, kept on its inbox row (older rows: their commands').
  const rebuilt = inbox ? await rebuildRecords(inbox, inbox.tenant ?? siblings[0]?.tenant ?? null, deps) : null;
  if (!rebuilt?.ok) {
    const why = !rebuilt
      ? 'inbox row is gone'
      : rebuilt.reason === 'no_payload'
        ? 'raw payload is gone (retention or redaction)'
        : rebuilt.reason === 'unknown_provider'
          ? `no provider ${inbox?.source} in this build`
          : `raw payload does not map${rebuilt.detail ? ` (${rebuilt.detail})` : ''}`;
    report.unchanged += rows.length;
    report.problems.push(`event ${inbox?.eventKey ?? inboxId}: ${why}; replay without --remap to send the stored command`);
    return;
  }
  const unused = [...rebuilt.records];
  const take = (match: (record: NewOutboxRecord) => boolean) => {
    const index = unused.findIndex(match);
    return index < 0 ? undefined : unused.splice(index, 1)[0];
  };
  for (const row of rows) {
    const record = take((r) => r.idempotencyKey === row.idempotencyKey) ?? take((r) => r.kind === row.kind);
    if (!record) {
      report.unchanged++;
      report.problems.push(`outbox ${row.id}: today's mappers produce no ${row.kind} for this event; left as it was`);
      continue;
    }
    const result = await store.replaceCommand(row.id, record, deps.now());
    if (result === 'replaced') {
      report.requeued++;
      report.remapped++;
    } else {
      report.unchanged++;
      report.problems.push(
        `outbox ${row.id}: ${result === 'conflict' ? `outbox row ${record.idempotencyKey} already carries the rebuilt command` : `is ${result}`}`,
      );
    }
  }
  if (addMissing && unused.length && inbox) report.added += await store.addCommands(inboxId, inbox.source, unused, deps.now());
  // An event kept as unmapped that today's mappers read: it now says what they decided.
  if (inbox?.state === 'unmapped' && rebuilt.result.outcome !== 'commands') {
    const reason = rebuilt.result.outcome === 'ignored' ? rebuilt.result.reason : null;
    await store.resolveUnmapped(inboxId, rebuilt.result.outcome === 'ignored' ? 'ignored' : 'compliance', reason);
  }
}
