import { asc, eq, inArray } from 'drizzle-orm';
import { inbox } from '../../db/schema.js';
import type { CliContext } from '../context.js';
import { openDatabase } from '../context.js';
import type { CliDatabase } from '../database.js';
import { printable } from '../output.js';
import type { ReplayOptions } from './replay.js';
import { describeWaited, FINISHED, type Waited, waitForDelivery } from './replay-wait.js';

/**
 * `replay --all-unmapped`: every event the mapper kept as `unmapped` (its payload did not parse or
 * map when it arrived) is rebuilt with today's mappers, one event at a time, exactly as
 * `replay --event <id> --remap` does: new commands are queued, an event they now ignore becomes
 * `ignored`, one they still cannot read stays `unmapped` and is reported.
 */
interface UnmappedEvent {
  id: number;
  source: string;
  eventType: string;
  eventKey: string;
  reason: string | null;
}

async function unmappedEvents(database: CliDatabase): Promise<UnmappedEvent[]> {
  const { id, source, eventType, eventKey, reason } = inbox;
  return database.reader.select({ id, source, eventType, eventKey, reason }).from(inbox).where(eq(inbox.state, 'unmapped')).orderBy(asc(inbox.id));
}

export async function replayUnmapped(options: ReplayOptions, ctx: CliContext): Promise<number> {
  const database = await openDatabase(ctx, options.database);
  try {
    const events = await unmappedEvents(database);
    if (options.dryRun) return printSelected(events, ctx, options.json);
    const { replay } = await import('../../ops/replay.js');
    let added = 0;
    const problems: string[] = [];
    for (const event of events) {
      const report = await replay(
        { by: 'event', event: String(event.id) },
        { remap: true, states: FINISHED },
        { store: database.store, config: database.config, now: ctx.now },
      );
      added += report.added;
      // An unmapped event has no stored command to fall back on: the fix is in the mapping.
      problems.push(...report.problems.map((p) => p.replace('; replay without --remap to send the stored command', '; it stays unmapped')));
    }
    const ids = events.map((e) => e.id);
    const after = ids.length ? await database.reader.select({ id: inbox.id, state: inbox.state }).from(inbox).where(inArray(inbox.id, ids)) : [];
    const count = (state: string) => after.filter((e) => e.state === state).length;
    const outcome = {
      events: events.length,
      mapped: count('mapped'),
      ignored: count('ignored') + count('compliance'),
      stillUnmapped: count('unmapped'),
      added,
      problems,
    };
    const waited = options.wait && added > 0 ? await waitForDelivery(database, { inboxIds: ids }, options.waitTimeout * 1000, ctx) : null;
    if (options.json) ctx.out.json({ ...outcome, ...(waited ? { finished: waited } : {}) });
    else printOutcome(outcome, waited, ctx);
    return outcome.stillUnmapped > 0 || waited?.timedOut || (waited?.states.dead ?? 0) > 0 ? 1 : 0;
  } finally {
    database.close();
  }
}

function printSelected(events: UnmappedEvent[], ctx: CliContext, json?: boolean): number {
  if (json) {
    ctx.out.json({ dryRun: true, unmapped: events });
    return 0;
  }
  ctx.out.line(`would rebuild ${events.length} unmapped event${events.length === 1 ? '' : 's'} with today's mappers`);
  for (const e of events) ctx.out.line(`  #${e.id} ${e.source} ${printable(e.eventType)}  ${printable(e.eventKey)}  ${printable(e.reason ?? '')}`.trimEnd());
  return 0;
}

function printOutcome(
  o: { events: number; mapped: number; ignored: number; stillUnmapped: number; added: number; problems: string[] },
  waited: Waited | null,
  ctx: CliContext,
) {
  const { out } = ctx;
  out.line(
    `rebuilt ${o.events} unmapped event${o.events === 1 ? '' : 's'}: ${o.mapped} mapped (${o.added} new command${o.added === 1 ? '' : 's'}), ${o.ignored} ignored, ${o.stillUnmapped} still unmapped`,
  );
  for (const problem of o.problems) out.line(`  ${out.style('yellow', 'note')} ${printable(problem)}`);
  if (waited) out.line(describeWaited(waited));
  else if (o.added > 0) out.line('the running bridge sends them now; follow with "dub-bridge status" (or replay with --wait)');
}
