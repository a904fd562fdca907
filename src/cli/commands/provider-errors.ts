import { CliError } from '../errors.js';

/**
 * Turns a provider SDK failure into one line for the operator (exit 1). Stripe's errors carry a
 * `type`; the Shopify caller already words its errors.
 */
export function providerError(provider: 'Stripe' | 'Shopify') {
  return (error: unknown): never => {
    const e = error as Error & { type?: string; statusCode?: number };
    if (e.type === 'StripeAuthenticationError' || e.type === 'StripePermissionError') {
      throw new CliError(`Stripe refused the API key (${e.statusCode ?? ''} ${e.message}); use a secret key, or a restricted key with write access to Webhook Endpoints`);
    }
    if (e.type === 'StripeConnectionError') throw new CliError(`cannot reach the Stripe API: ${e.message}`);
    throw new CliError(`${provider}: ${e.message}`);
  };
}
