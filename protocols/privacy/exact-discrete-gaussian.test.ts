import { describe, expect, it } from 'vitest';
import { ExactDiscreteGaussian } from './exact-discrete-gaussian.js';
import { seededRandomSource } from './random-source.js';
import { chiSquareAgainstDiscreteGaussian, discreteGaussianMass, upperRegularizedGamma } from './testing/chi-square.js';

// A correct sampler's p-value is uniform, so each χ² test below fails it with probability 1e-7 (all six
// together < 1e-6), leaving a margin for the χ² approximation in the far tail (every bin expects ≥ 20).
const SIGNIFICANCE = 1e-7;

function exactVariance(sigma: number): number {
  let total = 0;
  let second = 0;
  for (let k = -Math.ceil(40 * sigma) - 10; k <= Math.ceil(40 * sigma) + 10; k += 1) {
    const weight = Math.exp(-(k * k) / (2 * sigma * sigma));
    total += weight;
    second += k * k * weight;
  }
  return second / total;
}

describe('χ² helper', () => {
  it('reproduces textbook critical values', () => {
    expect(upperRegularizedGamma(0.5, 3.841459 / 2)).toBeCloseTo(0.05, 6); // df 1
    expect(upperRegularizedGamma(5, 18.307038 / 2)).toBeCloseTo(0.05, 6); // df 10
    expect(upperRegularizedGamma(50, 124.342113 / 2)).toBeCloseTo(0.05, 6); // df 100
    expect(discreteGaussianMass(2, -Infinity, Infinity)).toBeCloseTo(1, 12);
  });
});

describe('ExactDiscreteGaussian (Canonne–Kamath–Steinke 2020), CSPRNG path', () => {
  it.each([0.5, 1, 3, 10, 2 ** 10.5, 2 ** 30])('fits D_{Z,σ} by χ² and has its variance at σ = %d', (sigma) => {
    const sampler = new ExactDiscreteGaussian(sigma);
    const samples = new Float64Array(200_000);
    sampler.fill(samples);
    expect(samples.every(Number.isSafeInteger)).toBe(true);
    const result = chiSquareAgainstDiscreteGaussian(samples, sigma);
    expect(result.bins).toBeGreaterThan(4);
    expect(result.pValue).toBeGreaterThan(SIGNIFICANCE);
    let sum = 0;
    let squares = 0;
    for (const value of samples) {
      sum += value;
      squares += value * value;
    }
    const variance = squares / samples.length - (sum / samples.length) ** 2;
    const expected = sigma > 4096 ? sigma * sigma : exactVariance(sigma);
    // Standard error of a sample variance over 200,000 draws is √(2/n) ≈ 0.32% of it; 2% is over 6 of those.
    expect(Math.abs(variance / expected - 1)).toBeLessThan(0.02);
  });

  it('has the power to reject a sampler whose σ is 3% off', () => {
    const samples = new Float64Array(200_000);
    new ExactDiscreteGaussian(3 * 1.03).fill(samples);
    expect(chiSquareAgainstDiscreteGaussian(samples, 3).pValue).toBeLessThan(SIGNIFICANCE);
  });

  it('replays exactly from a seeded source and differs between seeds', () => {
    const draw = (seed: string) => {
      const values = new Float64Array(1000);
      new ExactDiscreteGaussian(7.5, seededRandomSource(seed)).fill(values);
      return values;
    };
    expect(draw('a')).toEqual(draw('a'));
    expect(draw('a')).not.toEqual(draw('b'));
  });

  it('refuses sigmas it cannot sample exactly', () => {
    for (const sigma of [0, 2 ** -9, -1, Number.NaN, Infinity, 2 ** 41]) expect(() => new ExactDiscreteGaussian(sigma)).toThrow(RangeError);
  });
});
