import { describe, expect, it } from 'vitest';
import { countTrainingValues, splitTrainingSum, trainingVector } from './update-vector.js';

describe('training update vector', () => {
  it('carries n·Δ, n·loss and n; the sum of several splits into the federation-wide values', () => {
    const a = trainingVector(Float64Array.from([2, 4]), 2, 0.5);
    const b = trainingVector(Float64Array.from([3, -3]), 3, 0.25);
    expect(Array.from(a)).toEqual([2, 4, 1, 2]);
    const sum = a.map((value, index) => value + (b[index] as number));
    const split = splitTrainingSum(sum, 2);
    expect(Array.from(split.weightedDeltaSum)).toEqual([5, 1]);
    expect(split.totalSamples).toBe(5);
    expect(split.meanLocalLoss).toBeCloseTo((2 * 0.5 + 3 * 0.25) / 5, 12);
    expect(countTrainingValues(2)).toBe(4);
  });

  it('rounds a sample count decrypted with CKKS noise and refuses a wrong length or a zero count', () => {
    expect(splitTrainingSum(Float64Array.from([1, 0.3, 10.0000001]), 1).totalSamples).toBe(10);
    expect(() => splitTrainingSum(Float64Array.from([1, 2]), 1)).toThrow(/3 expected/);
    expect(() => splitTrainingSum(Float64Array.from([1, 0, 0]), 1)).toThrow(/at least 1/);
    expect(() => trainingVector(Float64Array.from([1]), 0, 0)).toThrow(/positive/);
  });

  it('sends a non-finite loss as 0', () => {
    expect(trainingVector(Float64Array.from([1]), 4, Number.NaN)[1]).toBe(0);
  });
});
