import type { Command } from 'commander';
import type { CliAdapter } from '../adapter.js';
import type { CliContext } from '../context.js';
import { webhookUrl } from '../webhook-url.js';
import { publicUrl, tenantId } from './parse.js';

/**
 * `register` / `unregister` for providers whose webhook URL is set by hand in their dashboard:
 * the exact steps with the bridge's URL and the values to enter. The provider's adapter describes
 * the steps (ManualProvider); this prints them.
 */
interface ManualOptions {
  url: URL;
  tenant?: string;
  json?: boolean;
}

/** The printed setup of a provider without a webhook API. */
export interface ManualSteps {
  /** One line saying why there is no API call. */
  why: string;
  steps: string[];
  /** What the bridge needs, with whether this environment has it. */
  bridge: string[];
  check: string;
}

export interface ManualProvider {
  source: string;
  label: string;
  /** The steps for `url` (the tenant's own route when `tenant` is given), subscribing to `events`. */
  register(url: string, ctx: CliContext, tenant: string | undefined, events: readonly string[]): ManualSteps;
  /** Where to remove `url` by hand, in one line. */
  unregister(url: string): string;
}

/** True when the environment has a non-blank value for `variable`. */
export const isSet = (ctx: CliContext, variable: string) => Boolean(ctx.env[variable]?.trim());

function manualOptions(command: Command, p: ManualProvider): Command {
  return command
    .requiredOption('--url <public url>', `the bridge's public URL (https://bridge.example.com; /webhooks/${p.source} is added)`, publicUrl)
    .option('--tenant <id>', `a tenant's own route, /webhooks/${p.source}/<id> (TENANTS_FILE)`, tenantId)
    .option('--json', 'print JSON (for scripts)');
}

/** Both commands of a provider set up by hand: `register` prints the steps, `unregister` where to undo them. */
export function manualCommands(p: ManualProvider): Required<Pick<CliAdapter, 'register' | 'unregister'>> {
  return {
    register: {
      description: `print the steps that point ${p.label} at the bridge (set by hand; no API)`,
      options: (command) => manualOptions(command, p),
      async run(options: ManualOptions, { ctx, provider }) {
        const url = webhookUrl(options.url, p.source, options.tenant);
        const steps = p.register(url, ctx, options.tenant, (await provider()).handledEventTypes);
        if (options.json) ctx.out.json({ provider: p.source, manual: true, url, ...steps });
        else printSteps(steps, ctx);
        return 0;
      },
    },
    unregister: {
      description: `print where to remove the bridge URL from ${p.label} (set by hand; no API)`,
      options: (command) => manualOptions(command, p),
      async run(options: ManualOptions, { ctx }) {
        const url = webhookUrl(options.url, p.source, options.tenant);
        const step = p.unregister(url);
        if (options.json) ctx.out.json({ provider: p.source, manual: true, url, steps: [step] });
        else ctx.out.line(step);
        return 0;
      },
    },
  };
}

function printSteps(steps: ManualSteps, { out }: CliContext) {
  out.line(steps.why);
  out.line('');
  steps.steps.forEach((step, i) => out.line(`${i + 1}. ${step}`));
  out.line('');
  out.line('The bridge:');
  for (const line of steps.bridge) out.line(`  - ${line}`);
  out.line('');
  out.line(`Check: ${steps.check}`);
}
