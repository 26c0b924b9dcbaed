import { describe, expect, it } from 'vitest';
import { computeUpdateDelta } from './compute-update-delta.js';

describe('computeUpdateDelta', () => {
  it('subtracts the global weights', () => {
    expect(Array.from(computeUpdateDelta(new Float32Array([1.5, -2, 4]), new Float32Array([0.5, 1, 4])))).toEqual([1, -3, 0]);
  });

  it('names both lengths when they differ', () => {
    expect(() => computeUpdateDelta(new Float32Array(2), new Float32Array(3))).toThrow('new weights have 2, global weights 3');
  });
});
