import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import { DEFAULT_THRESHOLD_CKKS } from '../threshold/threshold-parameters.js';
import { coefficientMagnitudeBits, coefficientSmudgingBits, featurePolynomialNormBits, productNoiseBoundBits, productSmudgingBitsFor } from './coefficient-parameters.js';

const parameters = DEFAULT_THRESHOLD_CKKS;
const defaults = { parties: 3, maxDecryptions: 10_000, featureScaleBits: 8, maxAbsFeature: 8, maxColumnRms: 2, rowsPerBatch: 8192 };

describe('coefficient smudging sizing', () => {
  it('sizes sigma from the product noise: 2^48 for 3 parties, tau = 10^4, 8,192 rows, column RMS <= 2', () => {
    expect(featurePolynomialNormBits(defaults)).toBeCloseTo(8 + 1 + 6.5, 6);
    const noise = productNoiseBoundBits(parameters, { ...defaults, featurePolynomialNormBits: featurePolynomialNormBits(defaults) });
    expect(noise).toBeGreaterThan(24.4);
    expect(noise).toBeLessThan(24.5);
    expect(coefficientSmudgingBits(parameters, defaults)).toBe(48);
    expect(coefficientSmudgingBits(parameters, { ...defaults, maxDecryptions: 1000 })).toBe(47);
    expect(coefficientSmudgingBits(parameters, { ...defaults, rowsPerBatch: 1024 })).toBe(47);
    // m_0 stays 10 bits below Q/2: 2^(72+8) * 8192 * 8 * 8 = 2^99.
    expect(coefficientMagnitudeBits(parameters, defaults)).toBe(99);
  });

  it('never goes below the 2^30 floor', () => {
    expect(productSmudgingBitsFor({ maxDecryptions: 1, productNoiseBoundBits: 1 })).toBe(30);
  });

  it('refuses settings that need sigma above the sampler cap', () => {
    // The clip alone (no RMS bound): ||p|| up to 2^17.5 needs 2^50.
    expect(() => coefficientSmudgingBits(parameters, { ...defaults, maxColumnRms: undefined })).toThrow(ConfigError);
    expect(() => coefficientSmudgingBits(parameters, { ...defaults, maxColumnRms: undefined })).toThrow(/above the sampler's 2\^48/);
    expect(() => coefficientSmudgingBits(parameters, { ...defaults, maxDecryptions: 1_000_000 })).toThrow(/above the sampler/);
    expect(() => coefficientSmudgingBits(parameters, { ...defaults, parties: 10 })).toThrow(/above the sampler/);
    expect(() => coefficientSmudgingBits(parameters, { ...defaults, featureScaleBits: 10 })).toThrow(/above the sampler/);
  });

  it('refuses a coefficient 0 that could wrap mod Q, a sigma too close to the gradient unit, and malformed bounds', () => {
    const lowScale = { ...parameters, scaleBits: 40 };
    expect(() => coefficientSmudgingBits(lowScale, { ...defaults, featureScaleBits: 0, maxColumnRms: 1, maxDecryptions: 100 })).toThrow(/within 20 bits of the gradient unit/);
    const highScale = { ...parameters, scaleBits: 90 };
    expect(() => coefficientSmudgingBits(highScale, defaults)).toThrow(/too close to Q\/2/);
    for (const bad of [{ rowsPerBatch: 8193 }, { rowsPerBatch: 0 }, { featureScaleBits: 1.5 }, { maxAbsFeature: 0 }, { maxColumnRms: -1 }, { parties: 1 }, { maxDecryptions: 0 }, { featureScaleBits: 20, maxAbsFeature: 2 ** 12 }]) {
      expect(() => coefficientSmudgingBits(parameters, { ...defaults, ...bad }), JSON.stringify(bad)).toThrow(ConfigError);
    }
  });
});
