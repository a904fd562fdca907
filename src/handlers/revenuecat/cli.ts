import type { CliAdapter } from '../../cli/adapter.js';
import type { Check } from '../../cli/commands/doctor-checks.js';
import { manualCommands } from '../../cli/commands/register-manual.js';
import type { Config } from '../../config.js';
import { revenuecatSetup } from './cli-setup.js';
import { revenuecatTrigger } from './cli-trigger.js';

/** RevenueCat in the CLI: printed dashboard steps, `trigger revenuecat INITIAL_PURCHASE`, a doctor check. */
const revenuecatCli: CliAdapter = {
  ...manualCommands(revenuecatSetup),
  trigger: revenuecatTrigger,
  doctor: checkDoubleCounting,
};

export default revenuecatCli;

/**
 * RevenueCat also reports purchases made through Stripe or Paddle: when those are bridged
 * directly too, their RevenueCat events must be ignored or one payment becomes two sales.
 */
export function checkDoubleCounting(config: Config): Check[] {
  const configured = (source: string) => (config.providers[source]?.secrets.length ?? 0) > 0;
  if (!configured('revenuecat')) return [];
  const ignored = config.providers.revenuecat?.settings.REVENUECAT_IGNORE_STORES;
  const stores = new Set(Array.isArray(ignored) ? ignored.map(String) : []);
  return ['stripe', 'paddle']
    .filter((source) => configured(source) && !stores.has(source.toUpperCase()))
    .map((source) => ({
      level: 'warn' as const,
      text: `revenuecat: ${source} is bridged directly too; add ${source.toUpperCase()} to REVENUECAT_IGNORE_STORES or each ${source} payment RevenueCat reports counts twice`,
    }));
}
