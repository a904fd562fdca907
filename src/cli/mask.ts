import { redact } from '../logger.js';

/**
 * Keys whose values identify a person: names, emails, avatars, phones, addresses. `eventName`
 * and similar are not personal and stay readable.
 */
const PERSONAL_KEY = /^(customer_?)?(name|first_?name|last_?name|email|avatar|phone|address\d?|street|city|zip|postal_?code)$/i;

/** `Jane Doe` -> `J***`; emails keep their domain (`j***@example.com`) as the logger masks them. */
function maskValue(value: string): string {
  if (value.includes('@')) return redact(value);
  return value ? `${value[0]}***` : value;
}

/**
 * A copy of a stored command, payload or row safe to show an operator (same shape, strings
 * changed): personal fields masked, every other string passed through the logger's `redact`
 * (emails and secrets anywhere).
 */
export function maskPersonalData<T>(value: T): T {
  return mask(value, '') as T;
}

function mask(value: unknown, key: string): unknown {
  if (typeof value === 'string') return PERSONAL_KEY.test(key) ? maskValue(value) : redact(value);
  if (Array.isArray(value)) return value.map((item) => mask(item, ''));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mask(v, k)]));
  return value;
}

/** Parses stored JSON and masks it; text that is not JSON is only redacted. */
export function maskJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return maskPersonalData(JSON.parse(text));
  } catch {
    return redact(text);
  }
}
