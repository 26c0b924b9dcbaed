import { describe, expect, it } from 'vitest';
import { logisticLoss } from './logistic-loss.js';

describe('logisticLoss', () => {
  it('matches −[y log p + (1−y) log(1−p)] for moderate scores', () => {
    const scores = [-2, -0.5, 0, 1.5, 3];
    const labels = [0, 1, 1, 0, 1];
    const naive = scores.reduce((sum, u, index) => {
      const p = 1 / (1 + Math.exp(-u));
      return sum - (labels[index] === 1 ? Math.log(p) : Math.log(1 - p));
    }, 0) / scores.length;
    expect(logisticLoss(scores, labels)).toBeCloseTo(naive, 12);
  });

  it('stays finite and exact for huge scores', () => {
    expect(logisticLoss([800], [0])).toBeCloseTo(800, 9);
    expect(logisticLoss([-800], [0])).toBe(0);
    expect(logisticLoss([0], [1])).toBeCloseTo(Math.LN2, 15);
  });
});
