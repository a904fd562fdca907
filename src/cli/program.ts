import { Command } from 'commander';
import { doctorCommand } from './commands/doctor.js';
import { eventsCommand } from './commands/events.js';
import { migrateCommand } from './commands/migrate.js';
import { registerCommand } from './commands/register.js';
import { replayCommand } from './commands/replay.js';
import { serveCommand } from './commands/serve.js';
import { statusCommand } from './commands/status.js';
import { tailCommand } from './commands/tail.js';
import { triggerCommand } from './commands/trigger.js';
import { unregisterCommand } from './commands/unregister.js';
import type { CliContext } from './context.js';

/**
 * The `dub-bridge` program. Commander's own exits are overridden so the entry decides exit codes
 * (usage errors 2, help 0) in one place.
 */
export function buildProgram(ctx: CliContext, version: string): Command {
  const program = new Command('dub-bridge')
    .description(
      'Operate dub-bridge: serve webhooks, register them with the payment providers, send test events, inspect, follow and replay deliveries to Dub.',
    )
    .version(version)
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: (text) => ctx.out.line(text.trimEnd()),
      writeErr: (text) => ctx.err.line(text.trimEnd()),
    })
    .addHelpText(
      'after',
      `
Configuration comes from the environment and ./.env, as for npm start (DATABASE_PATH, DUB_API_KEY, ...).
Exit codes: 0 ok, 1 failure, 2 usage error, 78 configuration error.`,
    );
  const commands = [
    serveCommand,
    migrateCommand,
    registerCommand,
    unregisterCommand,
    statusCommand,
    eventsCommand,
    tailCommand,
    replayCommand,
    triggerCommand,
    doctorCommand,
  ];
  for (const add of commands) {
    add(program, ctx);
  }
  return program;
}
