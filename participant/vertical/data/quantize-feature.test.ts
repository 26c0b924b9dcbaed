import { describe, expect, it } from 'vitest';
import { quantizeFeature } from './quantize-feature.js';

describe('quantizeFeature', () => {
  it('lands on the 2^-bits grid within ±clip for any input', () => {
    for (let value = -20; value <= 20; value += 0.0137) {
      const q = quantizeFeature(value, 8, 8);
      expect(Number.isInteger(q * 256)).toBe(true);
      expect(Math.abs(q)).toBeLessThanOrEqual(8);
      if (Math.abs(value) <= 8) expect(Math.abs(q - value)).toBeLessThanOrEqual(2 ** -9);
    }
  });

  it('rounds halves away from zero, symmetrically', () => {
    expect(quantizeFeature(1.5 / 256, 8, 8)).toBe(2 / 256);
    expect(quantizeFeature(-1.5 / 256, 8, 8)).toBe(-2 / 256);
    expect(quantizeFeature(0.5 / 256, 8, 8)).toBe(1 / 256);
    expect(Object.is(quantizeFeature(-0.4 / 256, 8, 8), 0)).toBe(true);
  });

  it('clips, and keeps an off-grid clip on the grid', () => {
    expect(quantizeFeature(100, 8, 8)).toBe(8);
    expect(quantizeFeature(-100, 8, 8)).toBe(-8);
    expect(quantizeFeature(5, 2.999, 2)).toBe(2.75);
    expect(() => quantizeFeature(Number.NaN, 8, 8)).toThrow('not finite');
  });
});
