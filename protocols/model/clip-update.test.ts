import { describe, expect, it } from 'vitest';
import { clipUpdate } from './clip-update.js';

function norm(values: Float32Array): number {
  return Math.sqrt(values.reduce((sum, value) => sum + value * value, 0));
}

describe('clipUpdate', () => {
  it('scales an update above the bound down to the bound', () => {
    const result = clipUpdate(new Float32Array([3, 4]), 1);
    expect(result.clipped).toBe(true);
    expect(result.scaleApplied).toBeCloseTo(0.2, 12);
    expect(Array.from(result.delta)).toEqual([Math.fround(0.6), Math.fround(0.8)]);
    expect(norm(result.delta)).toBeCloseTo(1, 6);
  });

  it('leaves an update within the bound, and everything when the bound is 0, as a copy', () => {
    const delta = new Float32Array([3, 4]);
    for (const maxNorm of [5, 10, 0]) {
      const result = clipUpdate(delta, maxNorm);
      expect(result).toEqual({ delta, clipped: false, scaleApplied: 1 });
      expect(result.delta).not.toBe(delta);
    }
  });

  it('rejects a negative bound and non-finite deltas', () => {
    expect(() => clipUpdate(new Float32Array([1]), -1)).toThrow(/clip norm/);
    expect(() => clipUpdate(new Float32Array([Number.NaN]), 1)).toThrow(/non-finite/);
    expect(() => clipUpdate(new Float32Array([Number.POSITIVE_INFINITY]), 0)).toThrow(/non-finite/);
  });
});
