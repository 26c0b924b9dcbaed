import { describe, expect, it } from 'vitest';
import { parseFiniteNumber } from './parse-finite-number.js';

describe('parseFiniteNumber', () => {
  it('reads integers, decimals, signs and exponents as the data files write them', () => {
    expect(parseFiniteNumber('999')).toBe(999);
    expect(parseFiniteNumber('-36.4')).toBe(-36.4);
    expect(parseFiniteNumber(' 4.857 ')).toBe(4.857);
    expect(parseFiniteNumber('.5')).toBe(0.5);
    expect(parseFiniteNumber('5.')).toBe(5);
    expect(parseFiniteNumber('+1e3')).toBe(1000);
  });

  it('rejects text Number() would quietly accept or turn into non-finite values', () => {
    for (const cell of ['', '  ', '0x1f', 'Infinity', 'NaN', '1e999', '1,5', 'unknown', '1 2']) {
      expect(parseFiniteNumber(cell)).toBeUndefined();
    }
  });
});
