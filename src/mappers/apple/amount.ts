import { decimalToDubUnits, isZeroDecimal } from '../money.js';

export interface AppleAmount {
  /** Dub units. */
  amount: number;
  /** Lowercase, as Dub's body schema requires. */
  currency: string;
  /** `originalAmount` / `originalCurrency` when Dub units lose precision (rounded). */
  original: { originalAmount?: string; originalCurrency?: string };
}

/**
 * App Store `price` (integer milliunits: 10990 = 10.99) → Dub units: hundredths (÷10), whole
 * units for zero-decimal currencies (÷1000), rounded half up; three-decimal currencies land on
 * hundredths too. Exact: the milliunits become decimal text, never a float.
 */
export function milliunitsToDub(price: number, currency: string): AppleAmount {
  const lower = currency.toLowerCase();
  const digits = String(price).padStart(4, '0');
  const decimal = `${digits.slice(0, -3)}.${digits.slice(-3)}`;
  const amount = decimalToDubUnits(decimal, lower);
  const exact = isZeroDecimal(lower) ? price % 1000 === 0 : price % 10 === 0;
  return { amount, currency: lower, original: exact ? {} : { originalAmount: decimal, originalCurrency: lower } };
}
