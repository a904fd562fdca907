/**
 * The webhook URL for a source from the bridge's public URL: `https://bridge.example.com` becomes
 * `https://bridge.example.com/webhooks/stripe` (`…/webhooks/stripe/<tenant>` for a tenant's own
 * Stripe endpoint); a URL that already ends with the route is kept as it is.
 */
export function webhookUrl(publicUrl: URL, source: string, tenant?: string): string {
  const route = `/webhooks/${source}${tenant ? `/${tenant}` : ''}`;
  const url = new URL(publicUrl);
  url.search = '';
  url.hash = '';
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = path.endsWith(route) ? path : `${path}${route}`;
  return url.toString();
}
