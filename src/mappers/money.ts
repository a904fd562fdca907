/**
 * Dub units: Dub reads `amount` as hundredths of the currency, except for zero-decimal
 * currencies, where it is the whole number. All conversions here are exact integer/string
 * arithmetic: a float never touches an amount.
 */

/** Zero-decimal in Dub (and in the processors' minor units). */
const ZERO_DECIMAL = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']);

/** Processors send these in thousandths; Dub wants hundredths. */
const THREE_DECIMAL = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

export function isZeroDecimal(currency: string): boolean {
  return ZERO_DECIMAL.has(currency.toUpperCase());
}

export function isThreeDecimal(currency: string): boolean {
  return THREE_DECIMAL.has(currency.toUpperCase());
}

export class InvalidAmountError extends Error {
  override readonly name = 'InvalidAmountError';
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Converts a decimal string in major units (Shopify's `"199.99"`, `"1000"` JPY, `"12.345"` KWD)
 * to Dub units. Digits past the unit Dub counts round half up (away from zero for negatives).
 */
export function decimalToDubUnits(amount: string, currency: string): number {
  const match = DECIMAL.exec(amount.trim());
  if (!match) throw new InvalidAmountError(`not a decimal amount: ${JSON.stringify(amount)}`);
  const [, sign, whole, fraction = ''] = match;
  const places = isZeroDecimal(currency) ? 0 : 2;
  const kept = (fraction + '0'.repeat(places)).slice(0, places);
  const firstDropped = fraction.length > places ? Number(fraction[places]) : 0;
  let units = BigInt(whole! + kept);
  if (firstDropped >= 5) units += 1n;
  if (units > BigInt(Number.MAX_SAFE_INTEGER)) throw new InvalidAmountError(`amount too large: ${amount}`);
  const result = Number(units);
  return sign === '-' && result !== 0 ? -result : result;
}

/**
 * Converts an integer amount in the currency's ISO minor units (Stripe, Polar) to Dub units:
 * identical except for three-decimal currencies, sent in thousandths (rounded half up to hundredths).
 */
export function minorUnitsToDubUnits(amount: number, currency: string): number {
  if (!Number.isSafeInteger(amount)) throw new InvalidAmountError(`not an integer amount: ${amount}`);
  if (!isThreeDecimal(currency)) return amount;
  const sign = amount < 0 ? -1 : 1;
  const abs = Math.abs(amount);
  return sign * (Math.floor(abs / 10) + (abs % 10 >= 5 ? 1 : 0));
}

/** Adds decimal strings exactly, keeping the longest fraction (for summing Shopify line subtotals). */
export function addDecimals(values: readonly string[]): string {
  let scale = 0;
  for (const value of values) {
    const match = DECIMAL.exec(value.trim());
    if (!match) throw new InvalidAmountError(`not a decimal amount: ${JSON.stringify(value)}`);
    scale = Math.max(scale, match[3]?.length ?? 0);
  }
  let total = 0n;
  for (const value of values) {
    const [, sign, whole, fraction = ''] = DECIMAL.exec(value.trim())!;
    const scaled = BigInt(whole! + fraction.padEnd(scale, '0'));
    total += sign === '-' ? -scaled : scaled;
  }
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}
