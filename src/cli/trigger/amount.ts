import { isThreeDecimal, isZeroDecimal } from '../../mappers/money.js';
import { usageError } from '../errors.js';

/** `--amount`: a decimal number in major units, as people write prices (`49.99`, `1000`). */
export function parseAmount(value: string): string {
  if (!/^\d{1,12}(\.\d{1,3})?$/.test(value.trim())) throw usageError('--amount: expected a decimal amount in major units, e.g. 49.99 (or 1000 for JPY)');
  return value.trim();
}

/** `--currency`: a three-letter ISO 4217 code. */
export function parseCurrency(value: string): string {
  if (!/^[A-Za-z]{3}$/.test(value.trim())) throw usageError('--currency: expected a three-letter ISO 4217 code, e.g. usd, eur, jpy');
  return value.trim().toLowerCase();
}

/**
 * A decimal amount in the currency's smallest unit as Stripe counts it: cents, whole units for
 * zero-decimal currencies, thousandths for three-decimal ones. String arithmetic, never floats.
 */
export function toMinorUnits(amount: string, currency: string): number {
  const places = isZeroDecimal(currency) ? 0 : isThreeDecimal(currency) ? 3 : 2;
  const [whole, fraction = ''] = amount.split('.');
  if (fraction.replace(/0+$/, '').length > places) throw usageError(`--amount: ${currency.toUpperCase()} has ${places} decimal places`);
  return Number(BigInt(whole! + (fraction + '0'.repeat(places)).slice(0, places)));
}
