import Stripe from 'stripe';

/** The Stripe client the CLI uses; `apiBase` points it elsewhere (a local stand-in in tests). */
export function createStripeClient(apiKey: string, apiBase?: string): Stripe {
  if (!apiBase) return new Stripe(apiKey, { appInfo: { name: 'dub-bridge' } });
  const base = new URL(apiBase);
  const protocol = base.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(apiKey, {
    appInfo: { name: 'dub-bridge' },
    host: base.hostname,
    port: base.port || (protocol === 'http' ? 80 : 443),
    protocol,
  });
}

export type EndpointResult =
  /** Stripe returns the signing secret only here, once. */
  { action: 'created'; endpoint: Stripe.WebhookEndpoint; secret: string } | { action: 'updated' | 'unchanged'; endpoint: Stripe.WebhookEndpoint };

async function endpointsAt(stripe: Stripe, url: string): Promise<Stripe.WebhookEndpoint[]> {
  const found: Stripe.WebhookEndpoint[] = [];
  for await (const endpoint of stripe.webhookEndpoints.list({ limit: 100 })) {
    if (endpoint.url === url) found.push(endpoint);
  }
  return found;
}

const sameEvents = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((event) => b.includes(event));

/**
 * Makes exactly one endpoint at `url` listen to exactly `events`: creates it, or updates the one
 * already there (a re-run), so running register twice never adds a second endpoint.
 */
export async function registerStripeEndpoint(stripe: Stripe, url: string, events: readonly string[]): Promise<EndpointResult> {
  const [existing] = await endpointsAt(stripe, url);
  if (!existing) {
    const endpoint = await stripe.webhookEndpoints.create({
      url,
      enabled_events: [...events] as Stripe.WebhookEndpointCreateParams.EnabledEvent[],
      description: 'dub-bridge: Stripe events to Dub conversions',
    });
    return { action: 'created', endpoint, secret: endpoint.secret ?? '' };
  }
  if (sameEvents(existing.enabled_events, events) && existing.status === 'enabled') return { action: 'unchanged', endpoint: existing };
  const endpoint = await stripe.webhookEndpoints.update(existing.id, {
    enabled_events: [...events] as Stripe.WebhookEndpointUpdateParams.EnabledEvent[],
    disabled: false,
  });
  return { action: 'updated', endpoint };
}

/** Deletes every endpoint at `url`; returns their ids. */
export async function unregisterStripeEndpoint(stripe: Stripe, url: string): Promise<string[]> {
  const endpoints = await endpointsAt(stripe, url);
  for (const endpoint of endpoints) await stripe.webhookEndpoints.del(endpoint.id);
  return endpoints.map((e) => e.id);
}
