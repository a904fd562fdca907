import { describe, expect, test } from 'vitest';
import { inSaleBasis } from './refund.js';

describe('inSaleBasis', () => {
  test.each([
    // refunded, payment (tax included), sale (tax excluded), expected
    [5400, 10800, 10000, 5000],
    [300, 10800, 10000, 278],
    [10800, 10800, 10000, 10000],
    [700, 1000, 1000, 700],
    [700, undefined, 1000, 700],
    [1, 3, 2, 1],
    [9_000_000_000_000, 9_000_000_000_000, 8_000_000_000_000, 8_000_000_000_000],
  ])('%i refunded of a %s payment, sale %i -> %i', (refunded, payment, sale, expected) => {
    expect(inSaleBasis(refunded, payment, sale)).toBe(expected);
  });
});
