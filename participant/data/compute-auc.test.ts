import { describe, expect, it } from 'vitest';
import { computeAuc } from './compute-auc.js';
import { createSeededRandom } from '../../protocols/data/seeded-random.js';

function pairwiseAuc(scores: number[], labels: number[]): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((positiveScore, i) => {
    if (labels[i] !== 1) return;
    scores.forEach((negativeScore, j) => {
      if (labels[j] !== 0) return;
      pairs += 1;
      wins += positiveScore > negativeScore ? 1 : positiveScore === negativeScore ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

describe('computeAuc', () => {
  it('is 1 for a perfect ranking, 0 for a reversed one and 0.5 when every score ties', () => {
    expect(computeAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(computeAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(computeAuc([0.5, 0.5, 0.5], [1, 0, 0])).toBe(0.5);
  });

  it('matches a brute-force pairwise count on random data with many ties', () => {
    const random = createSeededRandom(7);
    for (let trial = 0; trial < 20; trial += 1) {
      const size = 50 + Math.floor(random() * 250);
      // Scores rounded to tenths so ties are frequent, as with coarse model outputs.
      const scores = Array.from({ length: size }, () => Math.round(random() * 10) / 10);
      const labels = scores.map((score) => (random() < 0.2 + 0.5 * score ? 1 : 0));
      labels[0] = 1;
      labels[1] = 0;
      expect(computeAuc(Float32Array.from(scores), Uint8Array.from(labels))).toBeCloseTo(pairwiseAuc(scores, labels), 12);
    }
  });

  it('is NaN when only one class is present', () => {
    expect(computeAuc([0.1, 0.9], [1, 1])).toBeNaN();
    expect(computeAuc([0.1, 0.9], [0, 0])).toBeNaN();
    expect(computeAuc([], [])).toBeNaN();
  });

  it('rejects mismatched lengths, non-binary labels and NaN scores', () => {
    expect(() => computeAuc([0.1], [1, 0])).toThrow(RangeError);
    expect(() => computeAuc([0.1, 0.2], [1, 2])).toThrow(/label 2/);
    expect(() => computeAuc([Number.NaN, 0.2], [1, 0])).toThrow(/NaN/);
  });
});
