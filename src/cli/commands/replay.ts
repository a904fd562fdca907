import { Option } from 'commander';
import type { OutboxState } from '../../db/schema.js';
import type { OutboxFilter } from '../../db/store.js';
import type { ReplayReport, ReplaySelector } from '../../ops/replay.js';
import type { CliContext, CommandModule } from '../context.js';
import { databaseOption, openDatabase } from '../context.js';
import type { CliDatabase } from '../database.js';
import { usageError } from '../errors.js';
import { printable } from '../output.js';
import { collectIds, isoDate, positiveInteger } from './parse.js';
import { replayUnmapped } from './replay-unmapped.js';
import { describeWaited, FINISHED, type Waited, waitForDelivery } from './replay-wait.js';

export interface ReplayOptions {
  database?: string;
  id?: number[];
  event?: string;
  from?: number;
  to?: number;
  allDead?: boolean;
  allDryRun?: boolean;
  allUnmapped?: boolean;
  remap?: boolean;
  dryRun?: boolean;
  wait?: boolean;
  waitTimeout: number;
  json?: boolean;
}

/** What wider selections (a time range, everything) take: rows that never reached Dub. */
const UNSENT: OutboxState[] = ['dead', 'dry_run'];

/** `dub-bridge replay`: sends stored commands again through src/ops/replay.ts. */
export const replayCommand: CommandModule = (program, ctx) => {
  program
    .command('replay')
    .description('send stored Dub commands again: dead letters, or chosen commands or an event (safe: Dub keeps one sale per invoiceId)')
    .option(...databaseOption)
    .option('--id <ids>', 'outbox ids, comma-separated or repeated (any finished state)', collectIds)
    .option('--event <event>', 'every finished command of one event: inbox id or provider event id')
    .option('--from <iso>', 'dead letters and dry-run commands created at or after this time', isoDate)
    .option('--to <iso>', 'dead letters and dry-run commands created before this time', isoDate)
    .option('--all-dead', 'every dead letter')
    .option('--all-dry-run', 'every command recorded in dry run (DRY_RUN=1), once DUB_API_KEY is set')
    .option('--all-unmapped', "every event the mapper kept as unmapped, rebuilt with today's mappers (always --remap; after a mapping fix)")
    .option('--remap', "rebuild the commands from the stored webhook with today's mappers first (after a mapping fix)")
    .option('--dry-run', 'list what would be replayed and change nothing')
    .option('--wait', 'wait until the running bridge has delivered them, showing progress')
    .addOption(new Option('--wait-timeout <seconds>', 'give up waiting after this long').argParser(positiveInteger).default(300))
    .option('--json', 'print JSON (for scripts)')
    .action(async (options: ReplayOptions) => ctx.setExitCode(await run(options, ctx)));
};

const SELECTORS = '--id, --event, --from/--to, --all-dead, --all-dry-run or --all-unmapped';

/** Exactly one way of choosing rows; `--from`/`--to` together are one (open-ended) range. */
function selectorOf(options: ReplayOptions): ReplaySelector {
  const chosen: ReplaySelector[] = [];
  if (options.id) chosen.push({ by: 'ids', ids: options.id });
  if (options.event) chosen.push({ by: 'event', event: options.event });
  if (options.from !== undefined || options.to !== undefined) {
    chosen.push({ by: 'range', from: options.from ?? 0, to: options.to ?? Number.MAX_SAFE_INTEGER });
  }
  if (options.allDead) chosen.push({ by: 'allDead' });
  if (options.allDryRun) chosen.push({ by: 'range', from: 0, to: Number.MAX_SAFE_INTEGER });
  if (chosen.length !== 1) throw usageError(`choose what to replay with exactly one of ${SELECTORS}`);
  return chosen[0]!;
}

/** Named rows are replayed whatever they ended as; a range takes unsent rows; the --all-… options their state. */
function statesOf(options: ReplayOptions, selector: ReplaySelector): OutboxState[] {
  if (selector.by === 'ids' || selector.by === 'event') return FINISHED;
  if (options.allDryRun) return ['dry_run'];
  return selector.by === 'allDead' ? ['dead'] : UNSENT;
}

async function run(options: ReplayOptions, ctx: CliContext): Promise<number> {
  if (options.allUnmapped) {
    // Events, not commands: an unmapped event has none yet. Alone, like every other selection.
    const others = [options.id, options.event, options.from, options.to, options.allDead, options.allDryRun].some((o) => o !== undefined && o !== false);
    if (others) throw usageError(`choose what to replay with exactly one of ${SELECTORS}`);
    return replayUnmapped(options, ctx);
  }
  const selector = selectorOf(options);
  const states = statesOf(options, selector);
  const { replay } = await import('../../ops/replay.js');
  const database = await openDatabase(ctx, options.database);
  const { config } = database;
  try {
    const selected = await selectedRows(database, selector, states);
    if (options.dryRun) return printDryRun(selected, ctx, options.json);
    const report = await replay(selector, { remap: Boolean(options.remap), states }, { store: database.store, config, now: ctx.now });
    const tracked: OutboxFilter = selected.inboxId !== null ? { inboxIds: [selected.inboxId] } : { ids: selected.rows.map((r) => r.id) };
    const waited = options.wait && report.requeued + report.added > 0 ? await waitForDelivery(database, tracked, options.waitTimeout * 1000, ctx) : null;
    if (options.json) ctx.out.json({ ...report, ...(waited ? { finished: waited } : {}) });
    else printReport(report, waited, ctx);
    if (report.problems.length > 0 || waited?.timedOut) return 1;
    return (waited?.states.dead ?? 0) > 0 ? 1 : 0;
  } finally {
    database.close();
  }
}

/** The rows a selector takes (for --dry-run and to follow them with --wait). */
async function selectedRows(database: CliDatabase, selector: ReplaySelector, states: OutboxState[]) {
  const { store } = database;
  switch (selector.by) {
    case 'ids':
      return { inboxId: null, rows: await store.listOutbox({ ids: selector.ids, states }) };
    case 'event': {
      const event = await store.findInboxByEvent(selector.event);
      return { inboxId: event?.id ?? null, rows: event ? await store.listOutbox({ inboxIds: [event.id], states }) : [] };
    }
    case 'range':
      return { inboxId: null, rows: await store.listOutbox({ from: selector.from, to: selector.to, states }) };
    case 'allDead':
      return { inboxId: null, rows: await store.listOutbox({ states }) };
  }
}

function printDryRun({ rows }: Awaited<ReturnType<typeof selectedRows>>, ctx: CliContext, json?: boolean): number {
  if (json) {
    ctx.out.json({ dryRun: true, selected: rows.map(({ id, source, kind, state, lastError }) => ({ id, source, kind, state, lastError })) });
    return 0;
  }
  ctx.out.line(`would replay ${rows.length} command${rows.length === 1 ? '' : 's'}`);
  for (const r of rows) ctx.out.line(`  #${r.id} ${r.source} ${r.kind}  ${r.state}  ${printable(r.lastError ?? '')}`.trimEnd());
  return 0;
}

function printReport(report: ReplayReport, waited: Waited | null, ctx: CliContext) {
  const { out } = ctx;
  const extra = [report.remapped ? `${report.remapped} rebuilt` : '', report.added ? `${report.added} new` : ''].filter(Boolean).join(', ');
  out.line(
    `matched ${report.matched} finished command${report.matched === 1 ? '' : 's'}; requeued ${report.requeued}${extra ? ` (${extra})` : ''}; ${report.unchanged} left as they were`,
  );
  for (const problem of report.problems) out.line(`  ${out.style('yellow', 'note')} ${printable(problem)}`);
  if (!waited) {
    if (report.requeued + report.added > 0) out.line('the running bridge sends them now; follow with "dub-bridge status" (or replay with --wait)');
    return;
  }
  out.line(describeWaited(waited));
}
