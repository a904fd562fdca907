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
