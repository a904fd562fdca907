import { type Command, Option } from 'commander';
import type Stripe from 'stripe';
import { publicUrl, tenantId } from '../../cli/commands/parse.js';
import { providerError } from '../../cli/commands/provider-errors.js';
import { secretFrom } from '../../cli/commands/provider-options.js';
import type { CliContext } from '../../cli/context.js';
import { configError } from '../../cli/errors.js';

/** Options `register stripe` and `unregister stripe` share; the key never comes from a flag. */
export interface StripeOptions {
  url: URL;
  tenant?: string;
  apiKeyStdin?: boolean;
  /** Refused (hidden): only here to explain where the key goes instead. */
  apiKey?: string;
  stripeApiBase?: string;
  json?: boolean;
}

export function stripeOptions(command: Command): Command {
  return command
    .requiredOption('--url <public url>', "the bridge's public URL (https://bridge.example.com; /webhooks/stripe is added)", publicUrl)
    .option('--tenant <id>', "a tenant's own endpoint, /webhooks/stripe/<id> (TENANTS_FILE)", tenantId)
    .option('--api-key-stdin', 'read the Stripe key from standard input instead of STRIPE_API_KEY')
    .addOption(new Option('--api-key <key>').hideHelp())
    .option('--stripe-api-base <url>', 'Stripe API base URL (default: env STRIPE_API_BASE, else https://api.stripe.com)')
    .option('--json', 'print JSON (for scripts)');
}

/**
 * The Stripe client from the environment or standard input; no key is a configuration problem
 * (exit 78). The SDK loads only for the commands that use it, keeping the others quick.
 */
export async function stripeFrom(options: StripeOptions, ctx: CliContext): Promise<Stripe> {
  const apiKey = await secretFrom(ctx, {
    flag: options.apiKey,
    stdin: options.apiKeyStdin,
    variable: 'STRIPE_API_KEY',
    stdinFlag: '--api-key-stdin',
    flagName: '--api-key',
  });
  if (!apiKey) throw configError('STRIPE_API_KEY: set it (or pipe the key in with --api-key-stdin) to a Stripe secret key that may manage webhook endpoints');
  const { createStripeClient } = await import('./cli-endpoints.js');
  return createStripeClient(apiKey, options.stripeApiBase ?? ctx.env.STRIPE_API_BASE);
}

/** Stripe's SDK errors carry a `type`: a refused key and an unreachable API get their own words. */
export const stripeError = providerError('Stripe', (e) => {
  if (e.type === 'StripeAuthenticationError' || e.type === 'StripePermissionError') {
    return `Stripe refused the API key (${e.statusCode ?? ''} ${e.message}); use a secret key, or a restricted key with write access to Webhook Endpoints`;
  }
  if (e.type === 'StripeConnectionError') return `cannot reach the Stripe API: ${e.message}`;
  return null;
});
