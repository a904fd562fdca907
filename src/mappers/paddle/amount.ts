import { InvalidAmountError, isThreeDecimal, minorUnitsToDubUnits } from '../money.js';

/** An amount converted to Dub units, with its lowercase currency. */
export interface DubMoney {
  amount: number;
  currency: string;
  /** The exact provider amount when the conversion rounded (three-decimal currencies). */
  original: { originalAmount?: string };
}

/**
 * Paddle minor units (decimal text) → Dub units. Paddle amounts are in the currency's lowest
 * denomination: cents for two-decimal currencies and whole units for zero-decimal ones (JPY, KRW),
 * which is exactly what Dub counts. Paddle supports no three-decimal currency today; should one
 * appear, it is rounded to hundredths like Stripe's, with the original kept in metadata.
 */
export function paddleToDubUnits(minor: bigint, currency: string): DubMoney {
  if (minor > BigInt(Number.MAX_SAFE_INTEGER) || minor < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new InvalidAmountError(`amount too large: ${minor}`);
  }
  return {
    amount: minorUnitsToDubUnits(Number(minor), currency),
    currency: currency.toLowerCase(),
    original: isThreeDecimal(currency) ? { originalAmount: minor.toString() } : {},
  };
}
