import { InvalidArgumentError } from 'commander';

/** Option parsers: a bad value is a usage error (exit 2) with a message naming what was wrong. */
export function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('expected a positive whole number');
  return Number(value);
}

export function isoDate(value: string): number {
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new InvalidArgumentError('expected an ISO 8601 date or time, e.g. 2026-04-01 or 2026-04-01T12:00:00Z');
  return at;
}

/** A public https URL (http only for localhost, so tests and tunnels work). */
export function publicUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('expected an absolute URL such as https://bridge.example.com');
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new InvalidArgumentError('providers only deliver webhooks to https URLs');
  }
  return url;
}

/** Collects a repeatable or variadic option into one list. */
export function collectIds(value: string, previous: number[] = []): number[] {
  return [...previous, ...value.split(',').map((part) => positiveInteger(part.trim()))];
}

/** A tenant id as TENANTS_FILE spells it (it becomes part of the URL). */
export function tenantId(value: string): string {
  if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(value)) throw new InvalidArgumentError('expected a tenant id: 1-63 lowercase letters, digits, - or _');
  return value;
}

/** `my-store.myshopify.com` (a leading https:// and trailing slash are dropped). */
export function shopDomain(value: string): string {
  const shop = value.trim().replace(/^https?:\/\//, '').replace(/\/+$/, '').toLowerCase();
  if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(shop)) throw new InvalidArgumentError('expected the shop domain, e.g. my-store.myshopify.com');
  return shop;
}

/** A Lemon Squeezy store id: digits (Settings > Stores shows it as `#12345`; the `#` is dropped). */
export function storeId(value: string): string {
  const id = value.trim().replace(/^#/, '');
  if (!/^\d{1,15}$/.test(id)) throw new InvalidArgumentError('expected the store id, digits only (Lemon Squeezy > Settings > Stores, e.g. 12345)');
  return id;
}

/** A Polar organization id (a UUID, Polar > Settings > General). */
export function organizationId(value: string): string {
  const id = value.trim().toLowerCase();
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) throw new InvalidArgumentError('expected the organization id, a UUID (Polar > Settings > General)');
  return id;
}
