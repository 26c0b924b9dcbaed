import { describe, expect, it } from 'vitest';
import { evaluateLoss } from './evaluate-model.js';

describe('evaluateLoss', () => {
  it('computes mean binary cross-entropy', () => {
    expect(evaluateLoss([0.5, 0.5], [1, 0])).toBeCloseTo(Math.log(2), 12);
    expect(evaluateLoss([0.9, 0.2], [1, 0])).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 12);
  });

  it('clamps certain mistakes to a finite loss', () => {
    const loss = evaluateLoss([0, 1], [1, 0]);
    expect(Number.isFinite(loss)).toBe(true);
    expect(loss).toBeCloseTo(-Math.log(1e-7), 6);
    expect(evaluateLoss([1, 0], [1, 0])).toBeLessThan(1e-6);
  });

  it('rejects mismatched or empty inputs', () => {
    expect(() => evaluateLoss([0.5], [1, 0])).toThrow('1 scores but 2 labels');
    expect(() => evaluateLoss([], [])).toThrow(/zero rows/);
  });
});
