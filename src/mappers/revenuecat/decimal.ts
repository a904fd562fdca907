import { decimalToDubUnits, InvalidAmountError } from '../money.js';

const EXPONENT_FORM = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/;

/**
 * The decimal text of a JSON number as RevenueCat meant it: `String()` gives the shortest text that
 * reads back as the same double (9.99 → "9.99", 0.1 + 0.2 → "0.30000000000000004"), so no binary
 * expansion leaks in; exponent forms (1e-7, 1e+21) are written out in plain digits.
 */
export function floatToDecimalText(value: number): string {
  if (!Number.isFinite(value)) throw new InvalidAmountError(`not a finite amount: ${value}`);
  const text = String(value);
  const match = EXPONENT_FORM.exec(text);
  if (!match) return text;
  const [, sign, lead, fraction = '', exponentText] = match;
  const digits = lead! + fraction;
  const point = 1 + Number(exponentText); // digits before the decimal point
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * A RevenueCat price (a float in major units) in Dub units: rounded half up from its decimal text
 * at the currency's exponent (whole units for zero-decimal currencies, hundredths otherwise, so
 * three-decimal currencies round to cents). Never multiplies the float. Throws InvalidAmountError
 * beyond 2^53 Dub units.
 */
export function priceToDubUnits(price: number, currency: string): number {
  return decimalToDubUnits(floatToDecimalText(price), currency);
}
