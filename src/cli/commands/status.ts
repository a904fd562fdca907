import { Option } from 'commander';
import type { CommandModule, CliContext } from '../context.js';
import { databaseOption, openDatabase } from '../context.js';
import { maskPersonalData } from '../mask.js';
import { formatAge, isoTime, printable } from '../output.js';
import { positiveInteger } from './parse.js';

interface StatusOptions {
  database?: string;
  json?: boolean;
  deadLimit: number;
}

/** `dub-bridge status`: counts per state, oldest pending age, pause, dead letters and why. */
export const statusCommand: CommandModule = (program, ctx) => {
  program
    .command('status')
    .description('show outbox counts per state, the oldest pending age, whether delivery is paused, and dead letters')
    .option(...databaseOption)
    .option('--json', 'print one JSON object (for scripts)')
    .addOption(new Option('--dead-limit <n>', 'dead letters to list').argParser(positiveInteger).default(20))
    .action(async (options: StatusOptions) => ctx.setExitCode(await status(options, ctx)));
};

async function status(options: StatusOptions, ctx: CliContext): Promise<number> {
  const database = await openDatabase(ctx, options.database);
  const { deliveryPause } = await import('../queries.js');
  try {
    const stats = await database.store.stats();
    const pause = await deliveryPause(database.reader);
    // Keys and errors may quote a customer's email (an external id can be one): masked like logs.
    const dead = (await database.store.listDeadLetters(options.deadLimit)).map(maskPersonalData);
    const oldestPendingAgeSeconds = stats.oldestPendingCreatedAt === null ? null : Math.round((ctx.now() - stats.oldestPendingCreatedAt) / 1000);
    if (options.json) {
      ctx.out.json({
        database: database.path,
        events: stats.inboxCount,
        commands: stats.counts,
        oldestPendingAgeSeconds,
        delivery: pause.paused ? { status: 'paused', reason: pause.reason, tenant: pause.tenant } : { status: 'running' },
        deadLetters: dead.map((letter) => ({ ...letter, createdAt: isoTime(letter.createdAt), deadAt: isoTime(letter.deadAt) })),
      });
      return 0;
    }
    const { out } = ctx;
    out.line(`database       ${database.path}`);
    out.line(`events         ${stats.inboxCount}`);
    out.line(
      `commands       ${Object.entries(stats.counts)
        .map(([state, n]) => `${state} ${state === 'dead' && n > 0 ? out.style('red', String(n)) : n}`)
        .join(' · ')}`,
    );
    out.line(`oldest pending ${oldestPendingAgeSeconds === null ? '-' : `${formatAge(oldestPendingAgeSeconds * 1000)} ago`}`);
    out.line(
      `delivery       ${pause.paused ? `${out.style('red', 'PAUSED')}: Dub refused the API key (${printable(pause.reason ?? '')}); fix ${pause.tenant ? `the dubApiKey of tenant ${pause.tenant}` : 'DUB_API_KEY'}, the bridge tries again every ${formatAge(database.config.DELIVERY_PAUSE_PROBE_MS)}` : 'running'}`,
    );
    if (dead.length === 0) return 0;
    out.line('');
    out.line(`dead letters (newest ${dead.length} of ${stats.counts.dead}; replay with "dub-bridge replay --id <id>" or --all-dead):`);
    for (const d of dead) {
      out.line(
        `  #${d.id}  ${d.source} ${d.kind}  event ${d.inboxId} ${printable(d.eventType)} ${printable(d.eventKey)}  attempts ${d.attempts}  dead since ${isoTime(d.deadAt) ?? '-'}`,
      );
      out.line(`        ${d.lastError === null ? '(no error recorded)' : printable(d.lastError)}`);
    }
    return 0;
  } finally {
    database.close();
  }
}
