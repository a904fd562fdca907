import { describe, expect, it } from 'vitest';
import { milliunitsToDub } from './amount.js';

describe('App Store milliunits -> Dub units', () => {
  it.each([
    [9990, 'USD', 999, {}],
    [10990, 'EUR', 1099, {}],
    [990, 'GBP', 99, {}],
    [5, 'USD', 1, { originalAmount: '0.005', originalCurrency: 'usd' }], // half up
    [4, 'USD', 0, { originalAmount: '0.004', originalCurrency: 'usd' }],
    [160000, 'JPY', 160, {}], // zero-decimal: whole yen
    [1500500, 'KRW', 1501, { originalAmount: '1500.500', originalCurrency: 'krw' }],
    [1234, 'KWD', 123, { originalAmount: '1.234', originalCurrency: 'kwd' }], // three-decimal -> hundredths
    [1235, 'BHD', 124, { originalAmount: '1.235', originalCurrency: 'bhd' }],
    [9007199254740990, 'USD', 900719925474099, {}], // exact beyond float-safe milliunit products
  ])('%i %s -> %i', (price, currency, amount, original) => {
    expect(milliunitsToDub(price, currency)).toEqual({ amount, currency: currency.toLowerCase(), original });
  });
});
