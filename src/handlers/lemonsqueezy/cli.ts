import type { CliAdapter } from '../../cli/adapter.js';
import { apiCommands } from '../../cli/commands/register-api.js';
import { lemonSqueezyRegistrar } from './cli-api.js';
import { lemonSqueezyTrigger } from './cli-trigger.js';

/** In the CLI: Lemon Squeezy webhooks through its REST API, and `trigger lemonsqueezy order_created`. */
const cli: CliAdapter = {
  ...apiCommands(lemonSqueezyRegistrar),
  trigger: lemonSqueezyTrigger,
};

export default cli;
