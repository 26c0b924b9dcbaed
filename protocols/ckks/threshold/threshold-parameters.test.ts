import { describe, expect, it } from 'vitest';
import { ConfigError, KeyCustodyError } from '../../errors.js';
import { ckksParametersSchema } from '../ckks-parameters.js';
import { CkksSession } from '../ckks-session.js';
import {
  assertSmudgingSigmaBits,
  ciphertextsPerModel,
  DEFAULT_SMUDGING_SIGMA_BITS,
  DEFAULT_THRESHOLD_CKKS,
  MIN_SMUDGING_SIGMA_BITS,
  smudgingBitsFor,
  smudgingErrorEstimate,
} from './threshold-parameters.js';

describe('threshold parameters', () => {
  it('are valid job parameters and pass SEAL’s 128-bit security check', async () => {
    expect(ckksParametersSchema.parse(DEFAULT_THRESHOLD_CKKS)).toEqual(DEFAULT_THRESHOLD_CKKS);
    const session = await CkksSession.create(DEFAULT_THRESHOLD_CKKS); // throws unless tc128 holds
    expect(session.slotCount).toBe(4096);
    session.dispose();
  });

  it('the default smudging satisfies the sizing rule for a 1M-parameter model over 1,000 rounds', () => {
    const tau = ciphertextsPerModel(DEFAULT_THRESHOLD_CKKS, 1_000_000) * 1_000;
    expect(tau).toBe(123_000); // 8,192 values per ciphertext
    for (const parties of [2, 3, 5, 10, 50]) {
      expect(smudgingBitsFor(DEFAULT_THRESHOLD_CKKS, { parties, maxDecryptions: tau })).toBeLessThanOrEqual(DEFAULT_SMUDGING_SIGMA_BITS);
    }
    // ... and costs ~3e-8 of precision per slot.
    expect(smudgingErrorEstimate(DEFAULT_THRESHOLD_CKKS, 5, DEFAULT_SMUDGING_SIGMA_BITS)).toBeLessThan(5e-8);
  });

  it('grows sigma with decryptions, parties and statistical security, never below the minimum', () => {
    const base = { parties: 3, maxDecryptions: 1_000 };
    const bits = smudgingBitsFor(DEFAULT_THRESHOLD_CKKS, base);
    expect(bits).toBeGreaterThanOrEqual(MIN_SMUDGING_SIGMA_BITS);
    expect(smudgingBitsFor(DEFAULT_THRESHOLD_CKKS, { ...base, maxDecryptions: 1_000_000_000 })).toBeGreaterThan(bits);
    expect(smudgingBitsFor(DEFAULT_THRESHOLD_CKKS, { ...base, parties: 1_000 })).toBeGreaterThan(bits);
    expect(smudgingBitsFor(DEFAULT_THRESHOLD_CKKS, { ...base, statisticalSecurityBits: 60 })).toBeGreaterThan(bits);
    expect(() => smudgingBitsFor(DEFAULT_THRESHOLD_CKKS, { parties: 1, maxDecryptions: 1 })).toThrow(ConfigError);
  });

  it('refuses zero or small smudging as a custody violation, and smudging that swamps the scale', () => {
    for (const bits of [0, -Infinity, Number.NaN, MIN_SMUDGING_SIGMA_BITS - 1]) {
      expect(() => assertSmudgingSigmaBits(DEFAULT_THRESHOLD_CKKS, bits)).toThrow(KeyCustodyError);
    }
    expect(() => assertSmudgingSigmaBits(DEFAULT_THRESHOLD_CKKS, DEFAULT_SMUDGING_SIGMA_BITS)).not.toThrow();
    expect(() => assertSmudgingSigmaBits(DEFAULT_THRESHOLD_CKKS, 49)).toThrow(ConfigError);
    expect(() => assertSmudgingSigmaBits({ ...DEFAULT_THRESHOLD_CKKS, scaleBits: 40 }, 30)).toThrow(/larger scale/);
  });
});
