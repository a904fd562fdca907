import type { CommandModule } from '../context.js';
import { addProviderSubcommands } from './provider-commands.js';

/**
 * `dub-bridge register <provider>`: points the provider's webhooks at the bridge, through its API
 * or as printed steps, as its adapter (`src/handlers/<source>/cli.ts`) does it; a test checks that
 * every provider in the registry has one.
 */
export const registerCommand: CommandModule = (program, ctx) => {
  const register = program
    .command('register')
    .description("create (or update) the providers' webhook registrations for the bridge, or print the steps where there is no API");
  addProviderSubcommands(program, register, 'register', ctx);
};
