import { describe, expect, it } from 'vitest';
import { GridGaussianNoise, poissonSample } from './grid-gaussian-noise.js';
import { RandomWords, seededRandomSource } from './random-source.js';

function variance(values: ArrayLike<number>): number {
  let sum = 0;
  let squares = 0;
  for (let index = 0; index < values.length; index += 1) {
    sum += values[index] as number;
    squares += (values[index] as number) ** 2;
  }
  return squares / values.length - (sum / values.length) ** 2;
}

describe('GridGaussianNoise', () => {
  it('gives one party noise of std z·C in model units, on the grid', () => {
    const noise = new GridGaussianNoise({ clipNorm: 2, noiseMultiplier: 1.5, dimension: 100 });
    expect(noise.grid).toBe(2 * 2 ** -20);
    const units = noise.addNoiseInGridUnits(new Float64Array(200_000));
    expect(units.every(Number.isSafeInteger)).toBe(true);
    expect(Math.abs(variance(noise.toValues(units)) / 9 - 1)).toBeLessThan(0.02); // (z·C)² = 9
  });

  it('splits the noise among parties so that the sum over 1M coordinates has the target variance within 1%', () => {
    const parties = 3;
    const coordinates = 1_000_000;
    const sum = new Float64Array(coordinates);
    for (let party = 0; party < parties; party += 1) {
      const share = new GridGaussianNoise({ clipNorm: 1, noiseMultiplier: 1.2, dimension: coordinates, parties });
      expect(share.shareSigmaInGridUnits).toBeCloseTo((1.2 * 2 ** 20) / Math.sqrt(3), 6);
      share.addNoiseInGridUnits(sum);
    }
    const noise = new GridGaussianNoise({ clipNorm: 1, noiseMultiplier: 1.2, dimension: coordinates });
    // Standard error of the variance estimate is √(2/10^6) = 0.14%; 1% is seven of those.
    expect(Math.abs(variance(noise.toValues(sum)) / 1.44 - 1)).toBeLessThan(0.01);
  });

  it('rounds to the grid without bias', () => {
    const noise = new GridGaussianNoise({ clipNorm: 1, noiseMultiplier: 1, dimension: 4, gridBits: 8, source: seededRandomSource('round') });
    const value = 5.3 * noise.grid;
    let total = 0;
    for (let trial = 0; trial < 20_000; trial += 1) total += (noise.roundToGrid([value]) as Float64Array)[0] as number;
    expect(total / 20_000).toBeCloseTo(5.3, 1);
  });

  it('keeps the sensitivity of the rounded sum within C when neighbouring sums share the coins', () => {
    const options = { clipNorm: 1, noiseMultiplier: 1, dimension: 16, gridBits: 8 };
    const random = new RandomWords(seededRandomSource('sums'));
    for (let trial = 0; trial < 500; trial += 1) {
      const a = new GridGaussianNoise({ ...options, source: seededRandomSource(`coins ${trial}`) });
      const b = new GridGaussianNoise({ ...options, source: seededRandomSource(`coins ${trial}`) });
      const sum = Array.from({ length: 16 }, () => (random.uniform53() / 2 ** 53 - 0.5) * 40);
      // The added example: a random direction scaled to exactly the clipping bound before rounding.
      const direction = Array.from({ length: 16 }, () => random.uniform53() / 2 ** 53 - 0.5);
      const scale = a.clipBeforeRounding / Math.hypot(...direction);
      const neighbour = sum.map((value, index) => value + (direction[index] as number) * scale);
      const rounded = b.roundToGrid(sum);
      const difference = a.roundToGrid(neighbour).map((value, index) => value - (rounded[index] as number));
      expect(Math.hypot(...difference)).toBeLessThanOrEqual(2 ** 8); // C in grid units
    }
  });

  it('refuses settings with no privacy meaning', () => {
    expect(() => new GridGaussianNoise({ clipNorm: Infinity, noiseMultiplier: 1, dimension: 3 })).toThrow(RangeError);
    expect(() => new GridGaussianNoise({ clipNorm: 1, noiseMultiplier: 0, dimension: 3 })).toThrow(RangeError);
    expect(() => new GridGaussianNoise({ clipNorm: 1, noiseMultiplier: 1, dimension: 1e12, gridBits: 8 })).toThrow(/too coarse/);
  });
});

describe('poissonSample', () => {
  it('draws each row independently with probability q (batch size is Binomial(n, q))', () => {
    const random = new RandomWords();
    const sizes = Array.from({ length: 400 }, () => poissonSample(10_260, 256 / 10_260, random).length);
    const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    // Binomial mean 256, variance 256·(1 − q) ≈ 249.6: the mean of 400 draws has std ≈ 0.79.
    expect(Math.abs(mean - 256)).toBeLessThan(5);
    expect(Math.abs(variance(sizes) / 249.6 - 1)).toBeLessThan(0.35);
    const rows = poissonSample(1000, 0.5, random);
    expect([...rows]).toEqual([...rows].sort((a, b) => a - b));
    expect(new Set(rows).size).toBe(rows.length);
    expect(poissonSample(50, 1, random)).toHaveLength(50);
  });

  it('replays from a seeded source', () => {
    const draw = () => [...poissonSample(500, 0.1, new RandomWords(seededRandomSource('batch')))];
    expect(draw()).toEqual(draw());
  });
});
