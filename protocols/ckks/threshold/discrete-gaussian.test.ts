import { describe, expect, it } from 'vitest';
import { DiscreteGaussianSampler } from './discrete-gaussian.js';

function moments(samples: Float64Array, sigma: number): { mean: number; variance: number; kurtosis: number; beyond3: number } {
  let sum = 0;
  for (const value of samples) sum += value;
  const mean = sum / samples.length;
  let second = 0;
  let fourth = 0;
  let beyond3 = 0;
  for (const value of samples) {
    const z = (value - mean) / sigma;
    second += z * z;
    fourth += z ** 4;
    if (Math.abs(z) > 3) beyond3 += 1;
  }
  const variance = second / samples.length;
  return { mean: mean / sigma, variance, kurtosis: fourth / samples.length / (variance * variance), beyond3: beyond3 / samples.length };
}

describe('DiscreteGaussianSampler', () => {
  it.each([20, 32, 40, 48])('draws integers with the Gaussian shape at sigma 2^%i', (bits) => {
    const sampler = new DiscreteGaussianSampler(bits);
    expect(sampler.sigma).toBeGreaterThanOrEqual(2 ** bits);
    expect(sampler.sigma).toBeLessThan(2 ** bits * 1.1);
    const samples = new Float64Array(200_000);
    sampler.fill(samples);
    expect(samples.every((value) => Number.isSafeInteger(value))).toBe(true);
    const { mean, variance, kurtosis, beyond3 } = moments(samples, sampler.sigma);
    // 200,000 samples: sampling error of the variance is ~0.3%, of the kurtosis ~0.01.
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
    expect(Math.abs(kurtosis - 3)).toBeLessThan(0.06);
    expect(Math.abs(beyond3 - 0.0027)).toBeLessThan(0.0008);
    sampler.wipe();
  });

  it('gives fresh samples every time and refuses unsupported widths', () => {
    const sampler = new DiscreteGaussianSampler(40);
    const a = new Float64Array(64);
    const b = new Float64Array(64);
    sampler.fill(a);
    sampler.fill(b);
    expect(a).not.toEqual(b);
    expect(() => new DiscreteGaussianSampler(49)).toThrow(RangeError);
    expect(() => new DiscreteGaussianSampler(Number.NaN)).toThrow(RangeError);
  });
});
