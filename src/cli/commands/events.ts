import { Option } from 'commander';
import type { InboxRow } from '../../db/schema.js';
import type { CliContext, CommandModule } from '../context.js';
import { databaseOption, openDatabase } from '../context.js';
import { redact } from '../../logger.js';
import { CliError, usageError } from '../errors.js';
import { eventStates } from '../event-states.js';
import { maskJson, maskPersonalData } from '../mask.js';
import { isoTime, printable } from '../output.js';
import type { EventFilter } from '../queries.js';
import { positiveInteger } from './parse.js';

/** `dub-bridge events list|show`: what arrived, what it became, and how delivery went. */
export const eventsCommand: CommandModule = (program, ctx) => {
  const events = program.command('events').description('list received webhooks and inspect one with its Dub commands');
  events
    .command('list')
    .description('list received events, newest first')
    .option(...databaseOption)
    .option('--source <source>', 'only this provider, by the name in its route (/webhooks/<source>)')
    .addOption(new Option('--state <state>', 'event state, or a command state (events with a command in it)').choices(eventStates))
    .addOption(new Option('--limit <n>', 'how many').argParser(positiveInteger).default(20))
    .option('--json', 'print JSON (for scripts)')
    .action(async (options: EventFilter & { database?: string; json?: boolean }) => ctx.setExitCode(await list(options, ctx)));
  events
    .command('show')
    .description('show one event with its Dub commands, attempts and answers (personal data masked)')
    .argument('<event>', "inbox id, or the provider's own event id (for example Stripe's evt_…)")
    .option(...databaseOption)
    .option('--payload', 'include the stored webhook payload (masked)')
    .option('--json', 'print JSON (for scripts)')
    .action(async (ref: string, options: { database?: string; payload?: boolean; json?: boolean }) => ctx.setExitCode(await show(ref, options, ctx)));
};

async function list(options: EventFilter & { database?: string; json?: boolean }, ctx: CliContext): Promise<number> {
  // Checked here rather than with commander's choices: the registry loads only when needed.
  const { providers } = await import('../../handlers/index.js');
  if (options.source && !providers.some((p) => p.source === options.source)) {
    throw usageError(`--source: expected one of ${providers.map((p) => p.source).join(', ')}`);
  }
  const database = await openDatabase(ctx, options.database);
  const { listEvents } = await import('../queries.js');
  try {
    const rows = (await listEvents(database.reader, options)).map(maskPersonalData);
    if (options.json) {
      ctx.out.json(rows.map((row) => ({ ...row, receivedAt: isoTime(row.receivedAt) })));
      return 0;
    }
    if (rows.length === 0) {
      ctx.out.line('no events');
      return 0;
    }
    for (const row of rows) {
      const commands = row.commands.map((c) => `${c.kind}:${c.state}`).join(' ') || '-';
      const why = row.reason ? `  (${printable(row.reason)})` : '';
      ctx.out.line(
        `${String(row.id).padStart(5)}  ${isoTime(row.receivedAt)}  ${row.source.padEnd(7)} ${printable(row.eventType).padEnd(34)} ${row.state.padEnd(10)} ${commands}${why}`,
      );
    }
    return 0;
  } finally {
    database.close();
  }
}

async function show(ref: string, options: { database?: string; payload?: boolean; json?: boolean }, ctx: CliContext): Promise<number> {
  const database = await openDatabase(ctx, options.database);
  try {
    const event = await database.store.findInboxByEvent(ref);
    if (!event) throw new CliError(`no event ${ref} (give an inbox id from "dub-bridge events list" or a provider event id)`);
    const commands = (await database.store.listOutboxForInbox(event.id)).map((row) => ({
      id: row.id,
      kind: row.kind,
      state: row.state,
      attempts: row.attempts,
      createdAt: isoTime(row.createdAt),
      nextAttemptAt: row.state === 'pending' ? isoTime(row.nextAttemptAt) : null,
      finishedAt: isoTime(row.deliveredAt),
      lastError: row.lastError === null ? null : redact(row.lastError),
      response: maskJson(row.response),
      command: maskJson(row.command),
    }));
    const summary = maskPersonalData(describeEvent(event));
    if (options.json) {
      ctx.out.json({ ...summary, ...(options.payload ? { payload: maskJson(event.payload) } : {}), commands });
      return 0;
    }
    const { out } = ctx;
    // Stored strings come from webhooks and Dub's answers: printed inert (see printable).
    const inert = (value: unknown) => printable(typeof value === 'string' ? value : JSON.stringify(value));
    for (const [label, value] of Object.entries(summary)) out.line(`${label.padEnd(11)} ${value === null || value === undefined ? '-' : inert(value)}`);
    if (options.payload) {
      const payload = event.payload === null ? '(pruned or redacted)' : JSON.stringify(maskJson(event.payload), null, 2).split('\n').map(printable).join('\n');
      out.line(`payload     ${payload}`);
    }
    out.line('');
    out.line(commands.length === 0 ? 'no Dub commands' : `Dub commands (${commands.length}):`);
    for (const c of commands) {
      out.line(
        `  #${c.id} ${c.kind}  ${c.state}  attempts ${c.attempts}  created ${c.createdAt}${c.nextAttemptAt ? `  next attempt ${c.nextAttemptAt}` : ''}${c.finishedAt ? `  finished ${c.finishedAt}` : ''}`,
      );
      if (c.lastError) out.line(`     last error: ${inert(c.lastError)}`);
      if (c.response) out.line(`     Dub answered: ${inert(c.response)}`);
      out.line(`     command: ${inert(c.command)}`);
    }
    return 0;
  } finally {
    database.close();
  }
}

function describeEvent(event: InboxRow) {
  return {
    id: event.id,
    source: event.source,
    type: event.eventType,
    eventKey: event.eventKey,
    account: event.account,
    receivedAt: isoTime(event.receivedAt),
    state: event.state,
    reason: event.reason,
  };
}
