import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../protocols/data/seeded-random.js';
import { detectionProbability, sampleChunkIndices } from './aggregate-sample.js';

describe('sampled aggregate verification', () => {
  it('draws distinct, sorted chunk indices; all of them when the sample is as large as the aggregate', () => {
    for (let trial = 0; trial < 200; trial += 1) {
      const sample = sampleChunkIndices(123, 8);
      expect(sample).toHaveLength(8);
      expect(new Set(sample).size).toBe(8);
      expect(sample.every((index) => index >= 0 && index < 123)).toBe(true);
      expect([...sample].sort((a, b) => a - b)).toEqual(sample);
    }
    expect(sampleChunkIndices(3, 10)).toEqual([0, 1, 2]);
    expect(() => sampleChunkIndices(0, 1)).toThrow(/positive/);
    expect(() => sampleChunkIndices(5, 0)).toThrow(/positive/);
  });

  it('is uniform: every chunk is drawn k/C of the time (χ² over 20,000 draws)', () => {
    const random = createSeededRandom(7);
    const chunks = 10;
    const counts = new Array<number>(chunks).fill(0);
    const draws = 20_000;
    for (let trial = 0; trial < draws; trial += 1) for (const index of sampleChunkIndices(chunks, 3, (max) => Math.floor(random() * max))) counts[index] = (counts[index] as number) + 1;
    const expected = (draws * 3) / chunks;
    const chiSquare = counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(27.88); // 9 degrees of freedom, p = 0.001
  });

  it('the stated detection probability is what sampling achieves (Monte Carlo), and certain for a substituted aggregate', () => {
    const random = createSeededRandom(11);
    const chunks = 20;
    const tampered = new Set([3, 9]);
    const sampled = 4;
    const trials = 20_000;
    let caught = 0;
    for (let trial = 0; trial < trials; trial += 1) {
      if (sampleChunkIndices(chunks, sampled, (max) => Math.floor(random() * max)).some((index) => tampered.has(index))) caught += 1;
    }
    const stated = detectionProbability(chunks, tampered.size, sampled);
    expect(stated).toBeCloseTo(1 - (18 * 17 * 16 * 15) / (20 * 19 * 18 * 17), 12);
    expect(Math.abs(caught / trials - stated)).toBeLessThan(0.015);
    expect(detectionProbability(chunks, tampered.size, sampled, 3)).toBeCloseTo(1 - (1 - stated) ** 3, 12);
    expect(detectionProbability(123, 123, 1)).toBe(1);
    expect(detectionProbability(123, 0, 8)).toBe(0);
  });
});
