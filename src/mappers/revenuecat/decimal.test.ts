import { describe, expect, it } from 'vitest';
import { InvalidAmountError } from '../money.js';
import { floatToDecimalText, priceToDubUnits } from './decimal.js';

describe('RevenueCat float prices -> Dub units (from the decimal text, half up)', () => {
  it.each([
    ['9.99 USD', 9.99, 'USD', 999],
    ['32.99 CAD (the docs sample)', 32.99, 'CAD', 3299],
    ['1580 JPY stays whole units', 1580, 'JPY', 1580],
    ['1580.5 JPY rounds half up', 1580.5, 'JPY', 1581],
    ['4.99 USD', 4.99, 'USD', 499],
    ['0.1 + 0.2 (0.30000000000000004) is 30, not 31', 0.1 + 0.2, 'USD', 30],
    ['1.005 (binary 1.00499…) rounds half up from its text', 1.005, 'USD', 101],
    ['2.675 (binary 2.67499…) rounds half up from its text', 2.675, 'EUR', 268],
    ['4.99 × 3 = 14.969999999999999', 4.99 * 3, 'USD', 1497],
    ['12.345 KWD (three decimals) rounds to cents half up', 12.345, 'KWD', 1235],
    ['12.344 KWD rounds down', 12.344, 'KWD', 1234],
    ['1e-7 (exponent form) is 0', 1e-7, 'USD', 0],
    ['0.005 is half a cent: 1', 0.005, 'USD', 1],
    ['-9.99 refund keeps its sign', -9.99, 'USD', -999],
    ['1e15 JPY (large whole amount)', 1e15, 'JPY', 1e15],
  ])('%s', (_name, price, currency, units) => {
    expect(priceToDubUnits(price, currency)).toBe(units);
  });

  it.each([
    [1e-7, '0.0000001'],
    [-1.5e-10, '-0.00000000015'],
    [1e21, '1000000000000000000000'],
    [1.2345e22, '12345000000000000000000'],
    [123.45, '123.45'],
  ])('decimal text of %d is %s', (value, text) => {
    expect(floatToDecimalText(value)).toBe(text);
  });

  it.each([[Number.NaN], [Number.POSITIVE_INFINITY], [1e21]])('%d is refused with InvalidAmountError', (value) => {
    expect(() => priceToDubUnits(value, 'USD')).toThrow(InvalidAmountError);
  });
});
