import type { Output } from '../output.js';
import { printable } from '../output.js';
import { describeCommand, describeState } from '../row-text.js';
import type { WatchedCommand, WatchedEvent, WatchReader } from '../watch-queries.js';

export interface FollowOptions {
  out: Output;
  now: () => number;
  intervalMs: number;
  /** Ends the loop (Ctrl-C). */
  signal: AbortSignal;
  json?: boolean;
}

/** One printed change: what `--json` writes per line, and the text line otherwise. */
type Change =
  | { type: 'event'; id: number; source: string; eventType: string; eventKey: string; state: string; reason: string | null }
  | { type: 'command'; id: number; eventId: number; kind: string; state: string; attempts: number; summary?: string; outcome: string };

const clock = (ms: number) => new Date(ms).toTimeString().slice(0, 8);
const signature = (c: WatchedCommand) => `${c.state}|${c.attempts}|${c.deliveredAt ?? ''}`;

/**
 * Follows the bridge's database: each new event, each new command, and each state change of a
 * command (delivered, retried, dead) as one line, until `signal` aborts. Rows already there when
 * it starts are not listed; commands pending then are followed. A finished command sent again
 * with `replay` is seen when it finishes again.
 */
export async function follow(reader: WatchReader, options: FollowOptions): Promise<void> {
  const { out } = options;
  const start = reader.marks();
  let lastEvent = start.event;
  let lastCommand = start.command;
  const floor = Math.min(start.oldestPending ?? Number.POSITIVE_INFINITY, start.command + 1);
  let since = options.now();
  const seen = new Map<number, string>();
  // Events stored but not mapped yet (record-first ingest): followed until their state changes.
  const waiting = new Set<number>();
  const print = (change: Change) => {
    if (options.json) return out.line(JSON.stringify(change));
    if (change.type === 'event') {
      const why = change.reason ? `: ${printable(change.reason)}` : '';
      return out.line(`${clock(options.now())}  event   #${change.id}  ${change.source} ${printable(change.eventType)}  ${change.state}${why}`);
    }
    const what = change.summary === undefined ? '' : `${change.summary || '-'}  `;
    out.line(`${clock(options.now())}  command #${change.id}  ${change.kind}  ${what}->  ${change.outcome}  (event #${change.eventId})`);
  };
  const commandChange = (c: WatchedCommand, summary?: string): Change => ({
    type: 'command',
    id: c.id,
    eventId: c.inboxId,
    kind: c.kind,
    state: c.state,
    attempts: c.attempts,
    ...(summary === undefined ? {} : { summary }),
    outcome: describeState(c),
  });
  while (!options.signal.aborted) {
    const polledAt = options.now();
    for (const e of reader.eventsByIds([...waiting].slice(0, 500))) {
      if (e.state === 'received') continue;
      waiting.delete(e.id);
      print(eventChange(e));
    }
    for (const e of reader.eventsAfter(lastEvent)) {
      lastEvent = e.id;
      if (e.state === 'received') waiting.add(e.id);
      print(eventChange(e));
    }
    for (const c of reader.commandsAfter(lastCommand)) {
      lastCommand = c.id;
      seen.set(c.id, signature(c));
      print(commandChange(c, describeCommand(c.command)));
    }
    for (const c of reader.changedCommands(floor, since - 1000)) {
      if (c.id > lastCommand || seen.get(c.id) === signature(c)) continue;
      seen.set(c.id, signature(c));
      print(commandChange(c));
    }
    // Finished rows older than the overlap window cannot come back unchanged; forget them.
    for (const [id, sig] of seen) if (!sig.startsWith('pending') && Number(sig.split('|')[2]) < since - 1000) seen.delete(id);
    since = polledAt;
    await sleep(options.intervalMs, options.signal);
  }
}

function eventChange(e: WatchedEvent): Change {
  return { type: 'event', id: e.id, source: e.source, eventType: e.eventType, eventKey: e.eventKey, state: e.state, reason: e.reason };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
