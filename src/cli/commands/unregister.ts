import type { CommandModule } from '../context.js';
import { addProviderSubcommands } from './provider-commands.js';

/** `dub-bridge unregister <provider>`: removes what `register` created for that URL (or says where, by hand). */
export const unregisterCommand: CommandModule = (program, ctx) => {
  const unregister = program.command('unregister').description('remove the webhook registrations that register created for a URL');
  addProviderSubcommands(program, unregister, 'unregister', ctx);
};
