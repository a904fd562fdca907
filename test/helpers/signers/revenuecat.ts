/**
 * RevenueCat does not sign: it sends the `Authorization` value configured on the webhook, verbatim.
 * Test values only (never anything like a live credential).
 */
export const REVENUECAT_AUTH = 'Bearer test-only-revenuecat-auth-0001';
export const REVENUECAT_OTHER_AUTH = 'test-only-rotated-revenuecat-auth-0002';

/** The headers RevenueCat sends with a webhook. */
export function revenuecatHeaders(auth: string | null = REVENUECAT_AUTH): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'RevenueCat' };
  if (auth !== null) headers.authorization = auth;
  return headers;
}
