import type { Command } from 'commander';
import type { AdapterCommand, CliAdapter } from '../adapter.js';
import { adapterSources, loadRegisteredAdapters } from '../adapters.js';
import type { CliContext } from '../context.js';
import { usageError } from '../errors.js';

/**
 * Adds `<group> <source>` for every provider with a CLI adapter. Building the program only names
 * them (a directory listing); the registry and the adapters load when `<group>` is the command
 * being run, in time for commander to parse the provider's own flags and show its help.
 */
export function addProviderSubcommands(program: Command, group: Command, part: 'register' | 'unregister', ctx: CliContext) {
  const subcommands = new Map(
    adapterSources().map((source) => [
      source,
      group.command(source).action(() => {
        throw usageError(`${source} is not a registered provider with a ${part} command`);
      }),
    ]),
  );
  program.hook('preSubcommand', async (_program, dispatched) => {
    if (dispatched !== group) return;
    const { providerNamed, providers } = await import('../../handlers/index.js');
    // Help lists them as the registry does (building the program had only a sorted listing).
    const rank = (command: Command) => providers.findIndex((p) => p.source === command.name());
    (group.commands as Command[]).sort((a, b) => rank(a) - rank(b));
    for (const { source, adapter } of await loadRegisteredAdapters()) {
      const command: AdapterCommand | undefined = (adapter as CliAdapter)[part];
      const subcommand = subcommands.get(source);
      if (!command || !subcommand) continue;
      command
        .options(subcommand.description(command.description))
        .action(async (options: unknown) => ctx.setExitCode(await command.run(options, { ctx, provider: async () => providerNamed(source)! })));
    }
  });
}
