import type { Config } from '../../config.js';
import { dubMode } from '../../runtime/startup-summary.js';
import type { CliContext } from '../context.js';
import { printable } from '../output.js';
import { describeCommand, describeState } from '../row-text.js';
import type { TriggerRequest } from '../trigger/types.js';
import { openWatchReader, type WatchedCommand, type WatchedEvent } from '../watch-queries.js';

/** What the bridge recorded for a triggered event, read from its database once delivery settled. */
export interface Recorded {
  event: WatchedEvent | null;
  commands: { id: number; kind: string; state: string; summary: string; outcome: string }[];
  print(ctx: CliContext): void;
}

interface ShowOptions {
  database: string;
  source: string;
  request: TriggerRequest;
  config: Config;
  waitMs: number;
  ctx: CliContext;
}

/**
 * Polls the bridge's database until the event is recorded and its commands left `pending` (or,
 * without a Dub key, until they are recorded: they wait for one), at most `waitMs`.
 */
export async function showRecorded({ database, source, request, config, waitMs, ctx }: ShowOptions): Promise<Recorded> {
  const reader = openWatchReader(database);
  const mode = dubMode(config);
  const deadline = ctx.now() + waitMs;
  let event: WatchedEvent | undefined;
  let commands: WatchedCommand[] = [];
  try {
    for (;;) {
      event = reader.eventByKey(source, request.eventKeyContains);
      commands = event ? reader.commandsOf(event.id) : [];
      // Recorded first, mapped right after: wait for the mapping, then for delivery (which never
      // comes without a key: those commands wait for one).
      const settled = event && event.state !== 'received' && (commands.every((c) => c.state !== 'pending') || mode === 'no_api_key');
      if (settled || ctx.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    reader.close();
  }
  const rows = commands.map((c) => ({ id: c.id, kind: c.kind, state: c.state, summary: describeCommand(c.command), outcome: describeState(c) }));
  return {
    event: event ?? null,
    commands: rows,
    print({ out }) {
      if (!event) {
        out.line(`not in ${database} yet; is the bridge using another DATABASE_PATH? (dub-bridge events list --source ${source})`);
        return;
      }
      const why = event.reason ? `: ${printable(event.reason)}` : '';
      out.line(`recorded as event #${event.id} ${printable(event.eventKey)} (${event.state}${why})`);
      for (const row of rows) out.line(`  #${row.id} ${row.kind}  ${row.summary}  ->  ${row.outcome}`);
      if (mode === 'no_api_key' && rows.some((r) => r.state === 'pending')) {
        out.line('DUB_API_KEY is not set: the commands wait until it is (or set DRY_RUN=1 to record them as a dry run)');
      }
      out.line(`details: dub-bridge events show ${event.id}   follow live: dub-bridge tail`);
    },
  };
}
