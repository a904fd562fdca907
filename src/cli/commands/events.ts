import { Option } from 'commander';
import type { InboxRow } from '../../db/schema.js';
import type { CliContext, CommandModule } from '../context.js';
import { databaseOption, openDatabase } from '../context.js';
import { redact } from '../../logger.js';
import { CliError } from '../errors.js';
import { eventStates } from '../event-states.js';
import { maskJson, maskPersonalData } from '../mask.js';
import { isoTime } from '../output.js';
import type { EventFilter } from '../queries.js';
import { positiveInteger } from './parse.js';

/** `dub-bridge events list|show`: what arrived, what it became, and how delivery went. */
export const eventsCommand: CommandModule = (program, ctx) => {
  const events = program.command('events').description('list received webhooks and inspect one with its Dub commands');
  events
    .command('list')
    .description('list received events, newest first')
    .option(...databaseOption)
    .addOption(new Option('--source <source>', 'only this provider').choices(['stripe', 'shopify']))
    .addOption(new Option('--state <state>', 'event state, or a command state (events with a command in it)').choices(eventStates))
    .addOption(new Option('--limit <n>', 'how many').argParser(positiveInteger).default(20))
    .option('--json', 'print JSON (for scripts)')
    .action(async (options: EventFilter & { database?: string; json?: boolean }) => ctx.setExitCode(await list(options, ctx)));
  events
    .command('show')
    .description('show one event with its Dub commands, attempts and answers (personal data masked)')
    .argument('<event>', 'inbox id, or the provider event id (Stripe evt_…, Shopify X-Shopify-Event-Id)')
    .option(...databaseOption)
    .option('--payload', 'include the stored webhook payload (masked)')
    .option('--json', 'print JSON (for scripts)')
    .action(async (ref: string, options: { database?: string; payload?: boolean; json?: boolean }) =>
      ctx.setExitCode(await show(ref, options, ctx)),
    );
};

async function list(options: EventFilter & { database?: string; json?: boolean }, ctx: CliContext): Promise<number> {
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
      const why = row.reason ? `  (${row.reason})` : '';
      ctx.out.line(`${String(row.id).padStart(5)}  ${isoTime(row.receivedAt)}  ${row.source.padEnd(7)} ${row.eventType.padEnd(34)} ${row.state.padEnd(10)} ${commands}${why}`);
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
    for (const [label, value] of Object.entries(summary)) out.line(`${label.padEnd(11)} ${value ?? '-'}`);
    if (options.payload) out.line(`payload     ${event.payload === null ? '(pruned or redacted)' : JSON.stringify(maskJson(event.payload), null, 2)}`);
    out.line('');
    out.line(commands.length === 0 ? 'no Dub commands' : `Dub commands (${commands.length}):`);
    for (const c of commands) {
      out.line(`  #${c.id} ${c.kind}  ${c.state}  attempts ${c.attempts}  created ${c.createdAt}${c.nextAttemptAt ? `  next attempt ${c.nextAttemptAt}` : ''}${c.finishedAt ? `  finished ${c.finishedAt}` : ''}`);
      if (c.lastError) out.line(`     last error: ${c.lastError}`);
      if (c.response) out.line(`     Dub answered: ${JSON.stringify(c.response)}`);
      out.line(`     command: ${JSON.stringify(c.command)}`);
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
