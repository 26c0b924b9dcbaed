import { describe, expect, it } from 'vitest';
import { exactRatio, RandomWords, seededRandomSource } from './random-source.js';

describe('RandomWords', () => {
  it('draws Bernoulli(n/d) with the right frequency, including probabilities near the word grid', () => {
    const random = new RandomWords();
    for (const [n, d] of [[1n, 3n], [2n ** 100n + 7n, 3n * 2n ** 100n], [1n, 2n ** 33n + 1n]] as const) {
      let hits = 0;
      const trials = 200_000;
      for (let trial = 0; trial < trials; trial += 1) if (random.bernoulli(n, d)) hits += 1;
      const p = Number(n) / Number(d);
      expect(Math.abs(hits / trials - p)).toBeLessThan(6 * Math.sqrt((p * (1 - p)) / trials) + 1e-5);
    }
    expect(random.bernoulli(0n, 5n)).toBe(false);
    expect(random.bernoulli(5n, 5n)).toBe(true);
  });

  it('decides exactly when the first word ties with the threshold (seeded source of all-equal words)', () => {
    // A source that always yields the word 2^31: U = 0.5 + 2^-33 + … ; Bernoulli(1/2) must say false.
    const constant = new RandomWords({ fill: (bytes) => new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4).fill(2 ** 31) });
    expect(constant.bernoulli(1n, 2n)).toBe(false);
    expect(constant.bernoulli(2n ** 31n + 1n, 2n ** 32n)).toBe(true); // U = 0.50000000011… < 0.50000000023…
    expect(constant.bernoulliSampler(0.5)()).toBe(false);
  });

  it('draws uniform integers below n without bias and replays from a seed', () => {
    const random = new RandomWords(seededRandomSource('uniform'));
    const counts = new Array<number>(7).fill(0);
    for (let trial = 0; trial < 70_000; trial += 1) {
      const value = random.below(7);
      counts[value] = (counts[value] as number) + 1;
    }
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(500);
    const replay = (seed: string) => Array.from({ length: 8 }, ((words) => () => words.word())(new RandomWords(seededRandomSource(seed))));
    expect(replay('x')).toEqual(replay('x'));
    expect(replay('x')).not.toEqual(replay('y'));
    expect(() => random.below(0)).toThrow(RangeError);
  });

  it('reads a double as the exact dyadic rational it is', () => {
    expect(exactRatio(0.375)).toEqual({ numerator: 3n, denominator: 8n });
    expect(exactRatio(5)).toEqual({ numerator: 5n, denominator: 1n });
    const { numerator, denominator } = exactRatio(0.1);
    expect(denominator).toBe(2n ** 55n);
    expect(Number(numerator) / Number(denominator)).toBe(0.1);
    expect(() => exactRatio(-1)).toThrow(RangeError);
  });
});
