import { describe, expect, it } from 'vitest';
import { seededRandom } from './seeded-random.js';

describe('seededRandom', () => {
  it('repeats its sequence for a seed and stays in [0, 1)', () => {
    const first = seededRandom(42);
    const second = seededRandom(42);
    const values = Array.from({ length: 1000 }, () => first());
    expect(values).toEqual(Array.from({ length: 1000 }, () => second()));
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
  });

  it('matches the reference mulberry32 sequence (bryc), so other platforms can reproduce it', () => {
    const random = seededRandom(1);
    expect([random(), random(), random()].map((value) => Math.round(value * 4294967296))).toEqual([
      2693262067, 11749833, 2265367787,
    ]);
  });

  it('gives different sequences for different seeds', () => {
    expect(seededRandom(1)()).not.toBe(seededRandom(2)());
  });
});
