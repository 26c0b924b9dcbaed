import { describe, expect, it } from 'vitest';
import { weightUpdate } from './weight-update.js';

describe('weightUpdate', () => {
  it('multiplies every value by the sample count in float64', () => {
    const weighted = weightUpdate(new Float32Array([0.5, -1, 0.1]), 1000);
    expect(weighted).toBeInstanceOf(Float64Array);
    expect(Array.from(weighted)).toEqual([500, -1000, Math.fround(0.1) * 1000]);
  });

  it('rejects zero, negative and non-finite counts', () => {
    for (const count of [0, -3, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => weightUpdate(new Float32Array(1), count)).toThrow(/sample count/);
    }
  });
});
