import { describe, expect, it } from 'vitest';
import { createSeededRandom, shuffleInPlace } from './seeded-random.js';

describe('createSeededRandom', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const a = createSeededRandom(42);
    const b = createSeededRandom(42);
    const c = createSeededRandom(43);
    const first = Array.from({ length: 8 }, () => a());
    expect(Array.from({ length: 8 }, () => b())).toEqual(first);
    expect(Array.from({ length: 8 }, () => c())).not.toEqual(first);
  });

  it('stays in [0, 1) and is roughly uniform', () => {
    const random = createSeededRandom(1);
    const buckets = new Array<number>(10).fill(0);
    const draws = 100_000;
    let low = 1;
    let high = 0;
    for (let index = 0; index < draws; index += 1) {
      const value = random();
      low = Math.min(low, value);
      high = Math.max(high, value);
      const bucket = Math.floor(value * 10);
      buckets[bucket] = (buckets[bucket] ?? 0) + 1;
    }
    expect(low).toBeGreaterThanOrEqual(0);
    expect(high).toBeLessThan(1);
    for (const bucket of buckets) expect(Math.abs(bucket - draws / 10)).toBeLessThan(500); // ~5 sigma
  });
});

describe('shuffleInPlace', () => {
  it('permutes a typed array in place, deterministically for a seed', () => {
    const first = Int32Array.from({ length: 100 }, (_, index) => index);
    const second = Int32Array.from(first);
    shuffleInPlace(first, createSeededRandom(5));
    shuffleInPlace(second, createSeededRandom(5));
    expect(Array.from(first)).toEqual(Array.from(second));
    expect(Array.from(first)).not.toEqual(Array.from({ length: 100 }, (_, index) => index));
    expect(Array.from(first).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, index) => index));
  });

  it('puts each element in each position about equally often', () => {
    const random = createSeededRandom(9);
    const counts = [0, 0, 0, 0];
    const trials = 20_000;
    for (let trial = 0; trial < trials; trial += 1) {
      const items = ['a', 'b', 'c', 'd'];
      shuffleInPlace(items, random);
      const position = items.indexOf('a');
      counts[position] = (counts[position] ?? 0) + 1;
    }
    for (const count of counts) expect(Math.abs(count - trials / 4)).toBeLessThan(350); // ~5 sigma
  });
});

describe('createSeededRandom reference sequence', () => {
  it('matches the reference mulberry32 sequence (bryc), so other platforms can reproduce it', () => {
    const random = createSeededRandom(1);
    expect([random(), random(), random()].map((value) => Math.round(value * 4294967296))).toEqual([
      2693262067, 11749833, 2265367787,
    ]);
  });
});
