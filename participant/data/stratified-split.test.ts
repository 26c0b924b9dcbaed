import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../protocols/data/seeded-random.js';
import { stratifiedSplit } from './stratified-split.js';

function imbalancedLabels(size: number, positiveRate: number, seed: number): Uint8Array {
  const random = createSeededRandom(seed);
  return Uint8Array.from({ length: size }, () => (random() < positiveRate ? 1 : 0));
}

describe('stratifiedSplit', () => {
  const labels = imbalancedLabels(10_000, 0.113, 3);
  const { trainIndices, testIndices } = stratifiedSplit(labels, 0.2, 42);

  it('partitions the rows: every index exactly once, each set ascending', () => {
    const all = [...trainIndices, ...testIndices].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: labels.length }, (_, index) => index));
    for (const indices of [trainIndices, testIndices]) {
      for (let position = 1; position < indices.length; position += 1) {
        expect(indices[position]).toBeGreaterThan(indices[position - 1] as number);
      }
    }
  });

  it('holds out the fraction of each class, keeping the positive rate', () => {
    const positives = labels.reduce((sum, label) => sum + label, 0);
    const testPositives = Array.from(testIndices).filter((index) => labels[index] === 1).length;
    expect(testPositives).toBe(Math.round(positives * 0.2));
    expect(testIndices.length - testPositives).toBe(Math.round((labels.length - positives) * 0.2));
    const trainPositives = Array.from(trainIndices).filter((index) => labels[index] === 1).length;
    expect(Math.abs(testPositives / testIndices.length - trainPositives / trainIndices.length)).toBeLessThan(0.001);
  });

  it('is deterministic for a seed and picks different rows for another seed', () => {
    const again = stratifiedSplit(labels, 0.2, 42);
    expect(Array.from(again.testIndices)).toEqual(Array.from(testIndices));
    const other = stratifiedSplit(labels, 0.2, 43);
    expect(Array.from(other.testIndices)).not.toEqual(Array.from(testIndices));
    expect(other.testIndices.length).toBe(testIndices.length);
  });

  it('handles a zero fraction and rejects fractions outside [0, 1)', () => {
    expect(stratifiedSplit([0, 1, 1], 0, 1).testIndices).toHaveLength(0);
    expect(() => stratifiedSplit([0, 1], 1, 1)).toThrow(RangeError);
    expect(() => stratifiedSplit([0, 1], -0.1, 1)).toThrow(RangeError);
    expect(() => stratifiedSplit([0, 1], Number.NaN, 1)).toThrow(RangeError);
  });
});
