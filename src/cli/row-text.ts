import { isZeroDecimal } from '../mappers/money.js';
import { maskJson } from './mask.js';
import { printable } from './output.js';

/**
 * One-line descriptions of stored rows for `trigger` and `tail`: what a command asks of Dub and
 * where it stands. Personal data stays out (names and emails are not shown at all), and every
 * stored string is printed inert.
 */

/** Dub units as a price: 4999 usd -> `49.99 usd`, 1000 jpy -> `1000 jpy`. */
export function formatDubAmount(amount: number, currency: string): string {
  if (isZeroDecimal(currency)) return `${amount} ${currency}`;
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')} ${currency}`;
}

type StoredCommand = {
  kind?: string;
  externalId?: string;
  body?: Record<string, unknown>;
};

const text = (value: unknown) => (typeof value === 'string' ? printable(value) : null);

/** `49.99 usd · invoice cs_test_… · customer user_1 · click abc123` for a sale; the essentials for the other kinds. */
export function describeCommand(commandJson: string): string {
  const command = maskJson(commandJson) as StoredCommand | null;
  const body = command?.body ?? {};
  const parts: (string | null)[] = [];
  if (typeof body.amount === 'number' && typeof body.currency === 'string') parts.push(formatDubAmount(body.amount, body.currency));
  if (body.invoiceId) parts.push(`invoice ${text(body.invoiceId)}`);
  if (body.eventName) parts.push(`"${text(body.eventName)}"`);
  const customer = body.customerExternalId ?? command?.externalId;
  if (customer) parts.push(`customer ${text(customer)}`);
  if (body.clickId) parts.push(`click ${text(body.clickId)}`);
  return parts.filter(Boolean).join(' · ');
}

export interface OutboxRowState {
  state: string;
  attempts: number;
  lastError: string | null;
  response: string | null;
}

/** `delivered`, `dry run: recorded, not sent`, `pending (attempt 2 failed: 500 …)`, `dead: 422 …`. */
export function describeState(row: OutboxRowState): string {
  if (row.state === 'dry_run' || (row.response && /"dryRun"\s*:\s*true/.test(row.response))) return 'dry run: recorded and logged, not sent to Dub';
  const error = row.lastError ? printable(row.lastError) : null;
  switch (row.state) {
    case 'pending':
      return error ? `pending (attempt ${row.attempts} failed: ${error})` : 'pending';
    case 'not_attributed':
      return 'not attributed (Dub knows no click or lead for this customer)';
    case 'dead':
      return `dead: ${error ?? 'no error recorded'}`;
    case 'skipped':
      return `skipped${error ? `: ${error}` : ''}`;
    default:
      return printable(row.state);
  }
}
