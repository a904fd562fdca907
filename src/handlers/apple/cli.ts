import type { CliAdapter } from '../../cli/adapter.js';
import { manualCommands } from '../../cli/commands/register-manual.js';
import { appleSetup } from './cli-setup.js';
import { appleTrigger } from './cli-trigger.js';

/** The App Store in the CLI: printed App Store Connect steps, and `trigger apple` saying why it cannot be simulated. */
const appleCli: CliAdapter = {
  ...manualCommands(appleSetup),
  trigger: appleTrigger,
};

export default appleCli;
