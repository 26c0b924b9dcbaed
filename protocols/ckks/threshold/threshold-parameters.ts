/**
 * Parameters and smudging sizing for N-of-N threshold CKKS with add-only aggregation.
 *
 * Why smudging: a CKKS decryption share d_i = c1*s_i reveals s_i (d_i / c1), and even c1*s_i + e with a
 * small e leaks the key over a few decryptions (Li–Micciancio 2021; Checri et al., CRYPTO 2024 broke 20-bit
 * fixed noise). Each party therefore floods its share with fresh Gaussian noise of standard deviation
 * sigma, sized by the rule used by OpenFHE after Li–Micciancio–Schultz–Sorrell (2022):
 *     sigma >= sqrt(12 * tau) * 2^(s/2) * B
 * with tau the ciphertexts decrypted under one key, s the statistical security in bits and B a bound on
 * the aggregate's ciphertext noise. Every party adds the full sigma because N-1 parties may collude.
 */
import { ConfigError, KeyCustodyError } from '../../errors.js';
import type { CkksParameters } from '../ckks-parameters.js';
import { ciphertextsFor } from '../values-per-ciphertext.js';

/**
 * Default threshold parameters: N = 8192, two 55-bit data primes and a 60-bit special prime, scale 2^72.
 * - Security: 170 bits of modulus is under SEAL's 218-bit limit for N = 8192, so tc128 holds.
 * - Smudging: DEFAULT_SMUDGING_SIGMA_BITS = 40 satisfies the sizing rule (s = 30) for 100 parties and
 *   tau = 123,000 (a 1,000,000-parameter model, 123 ciphertexts of 8,192 values, for 1,000 rounds); see
 *   smudgingBitsFor. The scale sits 32 bits above sigma (the job schema asks for at least 30).
 * - Precision: smudging adds an RMS slot error of sigma * sqrt(P * N / 2) / scale = 2.6e-8 for P = 3 and
 *   3.3e-8 for P = 5 (tests assert 1e-5 against plaintext FedAvg).
 * - Headroom: a coefficient of an encoded chunk is at most 2 * scale / N times the sum of its values'
 *   magnitudes, so a chunk decodes correctly while that sum stays below 2^48 (110-bit data modulus);
 *   the round-0 statistics travel as 20-bit limbs (protocols/data/statistics-limbs.ts): 100 nodes and a
 *   full chunk of 8,192 of them stay below 2^39, whatever the data's magnitudes.
 * - Size: additions never rescale, so only the data primes travel: 2 polynomials x 2 primes x 8 bytes
 *   per coefficient, 8,192 values per ciphertext = 32 bytes per value before SEAL's zstd, which shrinks
 *   55-bit residues in 64-bit words to ~30 (60-bit primes: no gain). One data prime cannot carry
 *   sigma 2^40 plus the precision: SEAL's primes stop at 60 bits.
 */
export const DEFAULT_THRESHOLD_CKKS: CkksParameters = Object.freeze({
  polyModulusDegree: 8192,
  coeffModulusBits: Object.freeze([55, 55, 60]) as number[],
  scaleBits: 72,
}) as CkksParameters;

export const DEFAULT_SMUDGING_SIGMA_BITS = 40;
/**
 * Below 2^30 no setting fits the sizing rule with s >= 30 for more than a handful of decryptions
 * (2^(s/2) = 2^15 and B >= 2^6 already give 2^21 at tau = 1), and 2^30 is the floor of the provable
 * flooding range; zero or "small" smudging lets the combiner recover s_i.
 */
export const MIN_SMUDGING_SIGMA_BITS = 30;
/** The sampler keeps samples exact in Numbers (< 2^53) up to sigma 2^48. */
export const MAX_SMUDGING_SIGMA_BITS = 48;
/** Smudging at least this many bits below the scale, so it cannot swamp the decoded values. */
const SCALE_MARGIN_BITS = 20;
/** SEAL's error distribution: a clipped normal with standard deviation 3.2. */
const SEAL_NOISE_SIGMA = 3.2;

export interface SmudgingBudget {
  /** Parties in the federation (all of them decrypt; N-1 may collude). */
  readonly parties: number;
  /** tau: ciphertexts that will be decrypted under one collective key (ciphertexts per model x rounds). */
  readonly maxDecryptions: number;
  /** s, statistical security in bits; 30 by default. */
  readonly statisticalSecurityBits?: number;
}

/** log2 of sigma that the sizing rule asks for; at least MIN_SMUDGING_SIGMA_BITS. */
export function smudgingBitsFor(parameters: CkksParameters, budget: SmudgingBudget): number {
  const { parties, maxDecryptions } = budget;
  const securityBits = budget.statisticalSecurityBits ?? 30;
  if (!Number.isInteger(parties) || parties < 2) throw new ConfigError(`smudging: ${parties} parties; threshold decryption needs at least 2`);
  if (!Number.isInteger(maxDecryptions) || maxDecryptions < 1) throw new ConfigError(`smudging: maxDecryptions must be a positive integer, got ${maxDecryptions}`);
  if (!(securityBits >= 1 && securityBits <= 128)) throw new ConfigError(`smudging: statistical security of ${securityBits} bits is out of range`);
  const noiseBoundBits = aggregateNoiseBoundBits(parameters, parties, maxDecryptions, securityBits);
  const bits = 0.5 * Math.log2(12 * maxDecryptions) + securityBits / 2 + noiseBoundBits;
  return Math.max(MIN_SMUDGING_SIGMA_BITS, Math.ceil(bits));
}

/**
 * log2 B: a high-probability bound on any coefficient of the aggregate's decryption noise (the sum of
 * `parties` fresh public-key encryptions under the collective key, whose secret s = sum s_i has per
 * coefficient variance 2P/3 and whose error sum e_i has variance P * 3.2^2).
 */
export function aggregateNoiseBoundBits(parameters: CkksParameters, parties: number, maxDecryptions: number, securityBits: number): number {
  const encodingVariance = 1 / 12;
  const aggregateSigma = Math.sqrt(parties * (freshEncryptionNoiseVariance(parameters, parties) + encodingVariance));
  // Gaussian tail over every coefficient of every decrypted ciphertext, failure probability 2^-s.
  const tail = Math.sqrt(2 * Math.LN2 * (securityBits + 1 + Math.log2(parameters.polyModulusDegree * maxDecryptions)));
  return Math.log2(tail * aggregateSigma);
}

/**
 * Per-coefficient noise variance of one fresh public-key encryption under the collective key of
 * `parties` parties (secret s = sum s_i, per-coefficient variance 2P/3).
 */
export function freshEncryptionNoiseVariance(parameters: CkksParameters, parties: number): number {
  const degree = parameters.polyModulusDegree;
  const secretVariance = (2 / 3) * parties;
  // With a special prime SEAL encrypts at the key level and divides by that prime: what remains is the
  // rounding r0 + r1*s. With one prime the full u*e + e1 + e2*s stays.
  return parameters.coeffModulusBits.length > 1
    ? 1 / 12 + (degree / 12) * secretVariance
    : SEAL_NOISE_SIGMA ** 2 * (1 + degree * (2 / 3) * parties + degree * secretVariance);
}

/** Expected RMS error that smudging adds to each decoded slot (real part). */
export function smudgingErrorEstimate(parameters: CkksParameters, parties: number, smudgingSigmaBits: number): number {
  return (2 ** smudgingSigmaBits * Math.sqrt((parties * parameters.polyModulusDegree) / 2)) / 2 ** parameters.scaleBits;
}

/**
 * Refuses smudging that would leak the secret share (below the minimum: KeyCustodyError) or that the
 * sampler and scale cannot carry (ConfigError).
 */
export function assertSmudgingSigmaBits(parameters: CkksParameters, smudgingSigmaBits: number): void {
  if (!Number.isFinite(smudgingSigmaBits) || smudgingSigmaBits < MIN_SMUDGING_SIGMA_BITS) {
    throw new KeyCustodyError(
      `smudging sigma 2^${smudgingSigmaBits} is below the minimum 2^${MIN_SMUDGING_SIGMA_BITS}: a decryption share would reveal the secret share`,
    );
  }
  if (smudgingSigmaBits > MAX_SMUDGING_SIGMA_BITS) throw new ConfigError(`smudging sigma 2^${smudgingSigmaBits} exceeds the supported 2^${MAX_SMUDGING_SIGMA_BITS}`);
  if (smudgingSigmaBits > parameters.scaleBits - SCALE_MARGIN_BITS) {
    throw new ConfigError(
      `smudging sigma 2^${smudgingSigmaBits} is within ${SCALE_MARGIN_BITS} bits of the scale 2^${parameters.scaleBits}: decrypted values would be noise; use a larger scale`,
    );
  }
}

/** Ciphertexts one model of `parameterCount` values occupies (N values each): tau per round. */
export function ciphertextsPerModel(parameters: CkksParameters, parameterCount: number): number {
  return ciphertextsFor(parameters, parameterCount);
}
