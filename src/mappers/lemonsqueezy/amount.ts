import { InvalidAmountError, isThreeDecimal, minorUnitsToDubUnits } from '../money.js';

/**
 * Lemon Squeezy amount → Dub units. Lemon Squeezy documents its integers as "cents" (the smallest
 * unit) and charges through Stripe, whose convention for zero-decimal currencies (JPY: whole yen)
 * is the same as Dub's; so only a three-decimal currency (none sold today) would need rounding.
 */
export function lsToDubUnits(amount: number, currency: string): { amount: number; currency: string; original: { originalAmount?: number } } {
  if (!Number.isSafeInteger(amount)) throw new InvalidAmountError(`not an integer amount: ${amount}`);
  return {
    amount: minorUnitsToDubUnits(amount, currency),
    currency: currency.toLowerCase(),
    original: isThreeDecimal(currency) ? { originalAmount: amount } : {},
  };
}
