import { describe, expect, it } from 'vitest';
import { addLabelNoise } from './add-label-noise.js';

describe('addLabelNoise', () => {
  it('adds zero-mean noise with the requested standard deviation, fresh on every call', () => {
    const values = new Float64Array(200_000).fill(3);
    addLabelNoise(values, 0.5);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
    // 200,000 samples: the mean is within 5 standard errors (0.0011) and the std within 1 %.
    expect(Math.abs(mean - 3)).toBeLessThan(0.006);
    expect(Math.abs(Math.sqrt(variance) - 0.5)).toBeLessThan(0.005);
    const again = new Float64Array(10).fill(3);
    addLabelNoise(again, 0.5);
    expect(Array.from(again)).not.toEqual(Array.from(values.subarray(0, 10)));
  });

  it('sigma 0 changes nothing; a negative or infinite sigma is refused', () => {
    const values = Float64Array.from([1, 2, 3]);
    addLabelNoise(values, 0);
    expect(Array.from(values)).toEqual([1, 2, 3]);
    expect(() => addLabelNoise(values, -1)).toThrow(/non-negative/);
    expect(() => addLabelNoise(values, Number.POSITIVE_INFINITY)).toThrow(/non-negative/);
  });
});
