import { isThreeDecimal, minorUnitsToDubUnits } from '../money.js';

export interface DubAmount {
  /** Dub units. */
  amount: number;
  /** Lowercase, as Dub's body schema requires. */
  currency: string;
  /** `originalAmount` / `originalCurrency` when Dub units lose precision (three-decimal currencies). */
  original: { originalAmount?: string; originalCurrency?: string };
}

/** Converts a Stripe minor-unit amount to Dub units, keeping the exact amount where Dub's would round. */
export function toDubAmount(stripeAmount: number, currency: string): DubAmount {
  const lower = currency.toLowerCase();
  const amount = minorUnitsToDubUnits(stripeAmount, lower);
  const original = isThreeDecimal(lower) ? { originalAmount: thousandthsToDecimal(stripeAmount), originalCurrency: lower } : {};
  return { amount, currency: lower, original };
}

/** 12340 → "12.340": a decimal string, so the metadata reads unambiguously in major units. */
function thousandthsToDecimal(value: number): string {
  const sign = value < 0 ? '-' : '';
  const digits = String(Math.abs(value)).padStart(4, '0');
  return `${sign}${digits.slice(0, -3)}.${digits.slice(-3)}`;
}

/** Drops null/undefined entries so commands carry only the references an event really has. */
export function compact<T extends Record<string, unknown>>(record: T): { [K in keyof T]?: NonNullable<T[K]> } {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value !== null && value !== undefined) result[key] = value;
  }
  return result as { [K in keyof T]?: NonNullable<T[K]> };
}
