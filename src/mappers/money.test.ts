import { describe, expect, it } from 'vitest';
import { addDecimals, decimalToDubUnits, InvalidAmountError, minorUnitsToDubUnits } from './money.js';

describe('decimalToDubUnits', () => {
  it.each<[string, string, number]>([
    ['199.99', 'USD', 19999],
    ['199.9', 'usd', 19990],
    ['199', 'EUR', 19900],
    ['0.00', 'USD', 0],
    ['0.005', 'USD', 1],
    ['0.004', 'USD', 0],
    ['1000', 'JPY', 1000],
    ['1000.0', 'jpy', 1000],
    ['999.5', 'JPY', 1000],
    ['12.340', 'KWD', 1234],
    ['12.345', 'KWD', 1235],
    ['12.344', 'KWD', 1234],
    ['0.999', 'BHD', 100],
    ['1500', 'ISK', 150000],
    [' 5.00 ', 'USD', 500],
    ['-12.345', 'KWD', -1235],
    ['90071992547409.91', 'USD', Number.MAX_SAFE_INTEGER],
  ])('"%s" %s -> %i', (amount, currency, units) => {
    expect(decimalToDubUnits(amount, currency)).toBe(units);
  });

  it('is exact where floats are not ("1.005" * 100 is 100.49999… in floating point)', () => {
    expect(decimalToDubUnits('1.005', 'USD')).toBe(101);
    expect(decimalToDubUnits('4.35', 'USD')).toBe(435);
  });

  it.each(['', 'abc', '1,000.00', '1e3', '.5', '5.', '$5'])('rejects %j', (amount) => {
    expect(() => decimalToDubUnits(amount, 'USD')).toThrow(InvalidAmountError);
  });

  it('rejects amounts beyond 2^53 Dub units', () => {
    expect(() => decimalToDubUnits('90071992547409.92', 'USD')).toThrow(/too large/);
  });
});

describe('minorUnitsToDubUnits', () => {
  it.each<[number, string, number]>([
    [19999, 'usd', 19999],
    [1000, 'jpy', 1000],
    [150000, 'isk', 150000],
    [12340, 'kwd', 1234],
    [12345, 'KWD', 1235],
    [12344, 'bhd', 1234],
    [-12345, 'kwd', -1235],
    [0, 'kwd', 0],
  ])('%i %s -> %i', (amount, currency, units) => {
    expect(minorUnitsToDubUnits(amount, currency)).toBe(units);
  });

  it.each([1.5, Number.NaN, 2 ** 53])('rejects %d', (amount) => {
    expect(() => minorUnitsToDubUnits(amount, 'usd')).toThrow(InvalidAmountError);
  });
});

describe('addDecimals', () => {
  it.each<[string[], string]>([
    [['59.99', '40.00'], '99.99'],
    [['0.1', '0.2'], '0.3'],
    [['1.005', '2'], '3.005'],
    [['500', '45'], '545'],
    [['10.00', '-10.00'], '0.00'],
    [['1.50', '-2.25'], '-0.75'],
    [['0.05'], '0.05'],
    [[], '0'],
    [['9999999999999999.99', '0.01'], '10000000000000000.00'],
  ])('%j -> %s', (values, total) => {
    expect(addDecimals(values)).toBe(total);
  });

  it('rejects a non-decimal value', () => {
    expect(() => addDecimals(['1.00', 'x'])).toThrow(InvalidAmountError);
  });
});
