import type { CliAdapter } from '../../cli/adapter.js';
import type { CliContext } from '../../cli/context.js';
import { webhookUrl } from '../../cli/webhook-url.js';
import { stripeTrigger } from './cli-trigger.js';
import { stripeError, stripeFrom, type StripeOptions, stripeOptions } from './cli-options.js';

/**
 * Stripe in the CLI: webhook endpoints through the Stripe SDK (loaded only when a command runs),
 * and `trigger stripe checkout.session.completed`.
 */
const stripeCli: CliAdapter = {
  register: {
    description: 'create or update the Stripe webhook endpoint for exactly the event types the bridge handles; prints the signing secret once',
    options: stripeOptions,
    run: (options: StripeOptions, { ctx }) => registerStripe(options, ctx),
  },
  unregister: {
    description: 'delete the Stripe webhook endpoint(s) at the bridge URL',
    options: stripeOptions,
    run: (options: StripeOptions, { ctx }) => unregisterStripe(options, ctx),
  },
  trigger: stripeTrigger,
};

export default stripeCli;

async function registerStripe(options: StripeOptions, ctx: CliContext): Promise<number> {
  const stripe = await stripeFrom(options, ctx);
  const { registerStripeEndpoint } = await import('./cli-endpoints.js');
  const { handledStripeEventTypes } = await import('../../mappers/stripe/index.js');
  const url = webhookUrl(options.url, 'stripe', options.tenant);
  const result = await registerStripeEndpoint(stripe, url, handledStripeEventTypes).catch(stripeError);
  const { endpoint } = result;
  if (options.json) {
    ctx.out.json({
      action: result.action,
      id: endpoint.id,
      url,
      livemode: endpoint.livemode,
      events: endpoint.enabled_events,
      secret: result.action === 'created' ? result.secret : null,
    });
    return 0;
  }
  const { out } = ctx;
  const mode = endpoint.livemode ? 'live mode' : 'test mode';
  out.line(`${result.action} Stripe webhook endpoint ${endpoint.id} (${mode}) -> ${url}`);
  out.line(`events: ${endpoint.enabled_events.join(', ')}`);
  out.line('');
  if (result.action === 'created') {
    out.line(`signing secret (Stripe shows it only now; store it before you close this terminal):`);
    out.line(`  ${out.style('bold', result.secret)}`);
    if (options.tenant) out.line(`put it in TENANTS_FILE as stripe.webhookSecret of tenant "${options.tenant}", then restart the bridge`);
    else out.line(`set it where the bridge runs: STRIPE_WEBHOOK_SECRET=${result.secret}`);
    out.line('(while Stripe rolls a secret over, list both, comma-separated)');
  } else {
    out.line('Stripe returns the signing secret only when an endpoint is created, so none is shown for an existing one.');
    out.line('Keep the secret you have; if it is lost, reveal or roll it in the Stripe Dashboard (Developers > Webhooks > this endpoint).');
  }
  return 0;
}

async function unregisterStripe(options: StripeOptions, ctx: CliContext): Promise<number> {
  const stripe = await stripeFrom(options, ctx);
  const { unregisterStripeEndpoint } = await import('./cli-endpoints.js');
  const url = webhookUrl(options.url, 'stripe', options.tenant);
  const deleted = await unregisterStripeEndpoint(stripe, url).catch(stripeError);
  if (options.json) ctx.out.json({ url, deleted });
  else if (deleted.length === 0) ctx.out.line(`no Stripe webhook endpoint at ${url}; nothing to remove`);
  else ctx.out.line(`deleted Stripe webhook endpoint ${deleted.join(', ')} -> ${url}`);
  return 0;
}
