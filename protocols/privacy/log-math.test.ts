import { describe, expect, it } from 'vitest';
import { logAdd, logErfc, logSub } from './log-math.js';

describe('log-domain helpers', () => {
  it('adds and subtracts exponentials without overflow', () => {
    expect(logAdd(Math.log(2), Math.log(3))).toBeCloseTo(Math.log(5), 14);
    expect(logAdd(-Infinity, 1.5)).toBe(1.5);
    expect(logAdd(1000, 1000)).toBeCloseTo(1000 + Math.log(2), 12);
    expect(logSub(Math.log(5), Math.log(3))).toBeCloseTo(Math.log(2), 14);
    expect(logSub(2, 2)).toBe(-Infinity);
    expect(() => logSub(1, 2)).toThrow(RangeError);
  });

  // Reference values of erfc from the literature (Abramowitz & Stegun; mpmath to 16 digits).
  it.each([
    [-1, 1.8427007929497148],
    [0, 1],
    [0.5, 0.4795001221869535],
    [1, 0.15729920705028513],
    [3, 2.209049699858544e-5],
    [10, 2.088487583762545e-45],
  ])('log erfc(%d) matches the reference value', (x, erfc) => {
    expect(Math.abs(logErfc(x) - Math.log(erfc))).toBeLessThan(1e-12);
  });

  it('is continuous where the series hands over to the continued fraction, and finite far out', () => {
    expect(Math.abs(logErfc(2.5 - 1e-12) - logErfc(2.5))).toBeLessThan(1e-10);
    // erfc(30) underflows a double; its log does not: −900 − log(30·√π) + log(1 − 1/(2x²) + 3/(4x⁴) − …).
    expect(logErfc(30)).toBeCloseTo(-900 - Math.log(30 * Math.sqrt(Math.PI)) + Math.log(1 - 1 / 1800 + 3 / (4 * 30 ** 4)), 6);
  });
});
