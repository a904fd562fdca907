import type { CliAdapter } from '../../cli/adapter.js';
import { apiCommands } from '../../cli/commands/register-api.js';
import { polarRegistrar } from './cli-api.js';
import { polarTrigger } from './cli-trigger.js';

/** In the CLI: Polar webhook endpoints through its REST API, and `trigger polar order.paid`. */
const cli: CliAdapter = {
  ...apiCommands(polarRegistrar),
  trigger: polarTrigger,
};

export default cli;
