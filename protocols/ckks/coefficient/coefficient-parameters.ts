/**
 * Encoding and smudging sizing for coefficient-0 gradient decryption (README.md in this folder).
 *
 * Encoding: d is encoded in COEFFICIENTS, m_d[r] = round(2^scaleBits * d_r), and column x_j as the
 * integer polynomial p_j = 2^f * (x_0 - sum_{k>=1} x_k X^(N-k)), so coefficient 0 of m_d * p_j is
 * exactly 2^(scaleBits+f) * <d, x_j>. (Slot encoding was measured and rejected: rounding the encoded
 * x to integers costs 1e-2 relative error at 2^16 and still 8e-6 at 2^24, far past the 2^48 sampler cap.)
 *
 * Noise of the decrypted product coefficient: e_d * p_j plus the re-randomising encryption of zero, with
 * e_d the sum of P fresh encryptions: variance P * v_fresh * ||p_j||^2 + v_fresh. The bound B is a
 * Gaussian tail over the tau single coefficients decrypted, and sigma follows the repository's rule
 * sigma >= sqrt(12 tau) 2^(s/2) B (threshold-parameters.ts).
 */
import { ConfigError } from '../../errors.js';
import type { CkksParameters } from '../ckks-parameters.js';
import { freshEncryptionNoiseVariance, MAX_SMUDGING_SIGMA_BITS, MIN_SMUDGING_SIGMA_BITS } from '../threshold/threshold-parameters.js';

export const DEFAULT_FEATURE_SCALE_BITS = 8;
/** Features are standardised and clipped: |x| <= 8 and a per-batch column RMS <= 2. */
export const DEFAULT_MAX_ABS_FEATURE = 8;
export const DEFAULT_MAX_COLUMN_RMS = 2;
/** Bound on |d| = |0.25 u + 0.5 - y| for the headroom check. */
export const DEFAULT_MAX_ABS_RESIDUAL = 8;
/** m_0 must stay this many bits below Q/2 (margin for noise and smudging). */
const HEADROOM_MARGIN_BITS = 2;
/** The smudging must stay this many bits below one unit of the decoded gradient (2^(scale+f)). */
const PRECISION_MARGIN_BITS = 20;

export interface FeatureBounds {
  /** x is a multiple of 2^-featureScaleBits; Delta_x = 2^featureScaleBits. */
  readonly featureScaleBits: number;
  /** Clip: |x| <= maxAbsFeature. */
  readonly maxAbsFeature: number;
  /** Optional per-batch column bound: ||x_j||_2 <= maxColumnRms * sqrt(rows). */
  readonly maxColumnRms?: number;
  /** Rows per batch (<= N). */
  readonly rowsPerBatch: number;
}

export interface CoefficientBudget extends FeatureBounds {
  readonly parties: number;
  /** tau: coefficient decryptions one key holder will answer under one key (features x batches x epochs). */
  readonly maxDecryptions: number;
  readonly statisticalSecurityBits?: number;
  /** |d| bound for the headroom check; DEFAULT_MAX_ABS_RESIDUAL when absent. */
  readonly maxAbsResidual?: number;
}

/** log2 of the largest ||p_j||_2 these bounds allow. */
export function featurePolynomialNormBits(bounds: FeatureBounds): number {
  const perRow = Math.min(bounds.maxAbsFeature, bounds.maxColumnRms ?? Number.POSITIVE_INFINITY);
  return bounds.featureScaleBits + Math.log2(perRow) + 0.5 * Math.log2(bounds.rowsPerBatch);
}

/**
 * log2 B_prod: a tail bound (failure 2^-s over tau decryptions) on coefficient 0 of the noise of a
 * re-randomised product Enc(d) * p with ||p||_2 <= 2^featurePolynomialNormBits.
 */
export function productNoiseBoundBits(
  parameters: CkksParameters,
  options: { readonly parties: number; readonly maxDecryptions: number; readonly featurePolynomialNormBits: number; readonly statisticalSecurityBits?: number },
): number {
  const securityBits = options.statisticalSecurityBits ?? 30;
  const fresh = freshEncryptionNoiseVariance(parameters, options.parties) + 1 / 12;
  const variance = options.parties * fresh * 2 ** (2 * options.featurePolynomialNormBits) + fresh;
  const tail = Math.sqrt(2 * Math.LN2 * (securityBits + 1 + Math.log2(options.maxDecryptions)));
  return Math.log2(tail * Math.sqrt(variance));
}

/** The sizing rule for a ciphertext whose decryption noise is below 2^productNoiseBoundBits. */
export function productSmudgingBitsFor(options: { readonly maxDecryptions: number; readonly productNoiseBoundBits: number; readonly statisticalSecurityBits?: number }): number {
  const securityBits = options.statisticalSecurityBits ?? 30;
  const bits = 0.5 * Math.log2(12 * options.maxDecryptions) + securityBits / 2 + options.productNoiseBoundBits;
  return Math.max(MIN_SMUDGING_SIGMA_BITS, Math.ceil(bits));
}

/** log2 of the largest |m_0| = 2^(scale+f) |<d, x>| the bounds allow. */
export function coefficientMagnitudeBits(parameters: CkksParameters, bounds: FeatureBounds & { readonly maxAbsResidual?: number }): number {
  const residual = bounds.maxAbsResidual ?? DEFAULT_MAX_ABS_RESIDUAL;
  return parameters.scaleBits + bounds.featureScaleBits + Math.log2(bounds.rowsPerBatch * residual * bounds.maxAbsFeature);
}

/**
 * log2 sigma for coefficient shares under `budget`. ConfigError when the bounds are malformed, when m_0
 * could wrap modulo the data modulus, or when sigma would exceed the sampler's 2^48 or come within
 * 20 bits of the decoded gradient's unit.
 */
export function coefficientSmudgingBits(parameters: CkksParameters, budget: CoefficientBudget): number {
  checkFeatureBounds(parameters, budget);
  const { parties, maxDecryptions } = budget;
  if (!Number.isInteger(parties) || parties < 2) throw new ConfigError(`coefficient smudging: ${parties} parties; threshold decryption needs at least 2`);
  if (!Number.isInteger(maxDecryptions) || maxDecryptions < 1) throw new ConfigError(`coefficient smudging: maxDecryptions must be a positive integer, got ${maxDecryptions}`);
  const dataBits = dataModulusBits(parameters);
  const magnitudeBits = coefficientMagnitudeBits(parameters, budget);
  if (magnitudeBits > dataBits - 1 - HEADROOM_MARGIN_BITS) {
    throw new ConfigError(`coefficient 0 can reach 2^${magnitudeBits.toFixed(1)}, too close to Q/2 = 2^${dataBits - 1}: lower the scale, featureScaleBits, the clip or the rows per batch`);
  }
  const noiseBits = productNoiseBoundBits(parameters, { ...budget, featurePolynomialNormBits: featurePolynomialNormBits(budget) });
  const sigmaBits = productSmudgingBitsFor({ ...budget, productNoiseBoundBits: noiseBits });
  if (sigmaBits > MAX_SMUDGING_SIGMA_BITS) {
    throw new ConfigError(
      `coefficient smudging needs sigma 2^${sigmaBits} (product noise 2^${noiseBits.toFixed(1)}, tau ${maxDecryptions}), above the sampler's 2^${MAX_SMUDGING_SIGMA_BITS}: bound the column RMS, clip harder, use fewer rows per batch or fewer decryptions per key`,
    );
  }
  if (sigmaBits > parameters.scaleBits + budget.featureScaleBits - PRECISION_MARGIN_BITS) {
    throw new ConfigError(`coefficient smudging 2^${sigmaBits} is within ${PRECISION_MARGIN_BITS} bits of the gradient unit 2^${parameters.scaleBits + budget.featureScaleBits}`);
  }
  return sigmaBits;
}

export function checkFeatureBounds(parameters: CkksParameters, bounds: FeatureBounds): void {
  const { featureScaleBits, maxAbsFeature, maxColumnRms, rowsPerBatch } = bounds;
  if (!Number.isInteger(featureScaleBits) || featureScaleBits < 0 || featureScaleBits > 20) throw new ConfigError(`featureScaleBits must be an integer in 0..20, got ${featureScaleBits}`);
  if (!(maxAbsFeature > 0 && maxAbsFeature <= 2 ** 20)) throw new ConfigError(`maxAbsFeature must be in (0, 2^20], got ${maxAbsFeature}`);
  // Feature polynomial coefficients are 2^f * x: keep them below 2^31 (feature-polynomial.ts).
  if (featureScaleBits + Math.log2(maxAbsFeature) > 30) throw new ConfigError(`2^featureScaleBits * maxAbsFeature must stay below 2^30, got 2^${(featureScaleBits + Math.log2(maxAbsFeature)).toFixed(1)}`);
  if (maxColumnRms !== undefined && !(maxColumnRms > 0 && Number.isFinite(maxColumnRms))) throw new ConfigError(`maxColumnRms must be positive, got ${maxColumnRms}`);
  if (!Number.isInteger(rowsPerBatch) || rowsPerBatch < 1 || rowsPerBatch > parameters.polyModulusDegree) {
    throw new ConfigError(`rowsPerBatch must be an integer in 1..${parameters.polyModulusDegree}, got ${rowsPerBatch}`);
  }
}

/** Bits of the data modulus (all primes but the special one). */
export function dataModulusBits(parameters: CkksParameters): number {
  const primes = parameters.coeffModulusBits.length > 1 ? parameters.coeffModulusBits.slice(0, -1) : parameters.coeffModulusBits;
  return primes.reduce((sum, bits) => sum + bits, 0);
}
