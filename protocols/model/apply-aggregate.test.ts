import { describe, expect, it } from 'vitest';
import { applyAggregate } from './apply-aggregate.js';
import { weightUpdate } from './weight-update.js';

describe('applyAggregate', () => {
  it('adds the sample-weighted mean delta to the global weights', () => {
    const global = new Float32Array([1, 2]);
    // Participant A (10 rows) moved +1, participant B (30 rows) moved -1: weighted mean is -0.5.
    const a = weightUpdate(new Float32Array([1, 1]), 10);
    const b = weightUpdate(new Float32Array([-1, -1]), 30);
    const sum = a.map((value, index) => value + (b[index] ?? 0));
    expect(Array.from(applyAggregate(global, sum, 40))).toEqual([0.5, 1.5]);
  });

  it('accepts any array-like sum, such as decoded CKKS slots', () => {
    expect(Array.from(applyAggregate(new Float32Array([0]), [3], 2))).toEqual([1.5]);
  });

  it('throws on a non-positive total weight or a length mismatch', () => {
    expect(() => applyAggregate(new Float32Array(2), [0, 0], 0)).toThrow(/total weight/);
    expect(() => applyAggregate(new Float32Array(2), [0, 0], -1)).toThrow(/total weight/);
    expect(() => applyAggregate(new Float32Array(2), [0, 0, 0], 1)).toThrow('aggregate has 3 values; the global model has 2');
  });
});
