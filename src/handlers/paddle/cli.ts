import type { CliAdapter } from '../../cli/adapter.js';
import { apiCommands } from '../../cli/commands/register-api.js';
import { paddleRegistrar } from './cli-api.js';
import { paddleTrigger } from './cli-trigger.js';

/** In the CLI: Paddle notification destinations through its REST API, and `trigger paddle transaction.completed`. */
const cli: CliAdapter = {
  ...apiCommands(paddleRegistrar),
  trigger: paddleTrigger,
};

export default cli;
