/**
 * A key holder's single-coefficient partial decryption of a product's c1:
 *   share_k = (c1 * s_k)[0] + E_k,   E_k ~ D_{Z, sigma} (one fresh flooding integer),
 * as one u64 residue per data prime (16 bytes with two primes). SEAL computes c1*s_k (secret-product.ts)
 * and its inverse NTT (seal-transforms.ts); JS adds the residues of E_k.
 * Each c1 is charged to a DecryptionBudget first: no c1 twice, at most tau in all (sigma is sized for tau).
 */
import type { CkksParameters } from '../ckks-parameters.js';
import type { DecryptionBudget } from '../threshold/decryption-budget.js';
import { DiscreteGaussianSampler } from '../threshold/discrete-gaussian.js';
import { assertSmudgingSigmaBits } from '../threshold/threshold-parameters.js';
import { ThresholdCkksContext, withThresholdContext } from '../threshold/threshold-context.js';
import { loadC1, type LoadedC1 } from './c1-format.js';
import { encodeResidues, readResidue } from './rns-integers.js';
import { multiplyBySecret, withSecretShare } from './secret-product.js';
import { coefficientZero } from './seal-transforms.js';

export interface CoefficientShareOptions {
  /** log2 sigma from coefficientSmudgingBits; below 2^30 is refused (KeyCustodyError). */
  readonly smudgingSigmaBits: number;
  /** Charged before anything is decrypted; repeats and overflow are refused (KeyCustodyError). */
  readonly budget?: DecryptionBudget;
}

/** One share per c1 (all charged to the budget at once, all or nothing). */
export async function coefficientShares(
  parametersOrContext: CkksParameters | ThresholdCkksContext,
  secretShare: Uint8Array,
  c1s: readonly Uint8Array[],
  options: CoefficientShareOptions,
): Promise<Uint8Array[]> {
  const parameters = parametersOrContext instanceof ThresholdCkksContext ? parametersOrContext.parameters : parametersOrContext;
  assertSmudgingSigmaBits(parameters, options.smudgingSigmaBits);
  return withThresholdContext(parametersOrContext, (context) => {
    const loaded: LoadedC1[] = c1s.map((bytes, index) => loadC1(context, bytes, `c1 ${index}`));
    options.budget?.spend(loaded.map((c1) => c1.digest));
    const sampler = new DiscreteGaussianSampler(options.smudgingSigmaBits);
    const noise = new Float64Array(1);
    return withSecretShare(context, secretShare, (decryptor) => {
      try {
        return loaded.map((c1) => {
          const product = multiplyBySecret(context, decryptor, c1.level, c1.words);
          let zero: Uint32Array | undefined;
          try {
            zero = coefficientZero(context, c1.level, [product])[0] as Uint32Array;
            sampler.fill(noise);
            const flooding = BigInt(noise[0] as number);
            const residues = c1.level.primes.values.map((prime, index) => {
              const sum = (readResidue(zero as Uint32Array, 2 * index) + flooding) % prime;
              return sum < 0n ? sum + prime : sum;
            });
            return encodeResidues(residues);
          } finally {
            product.fill(0);
            zero?.fill(0);
            noise.fill(0);
          }
        });
      } finally {
        sampler.wipe();
      }
    });
  });
}

/** The share of one c1; see coefficientShares. */
export async function coefficientShare(
  parametersOrContext: CkksParameters | ThresholdCkksContext,
  secretShare: Uint8Array,
  c1: Uint8Array,
  options: CoefficientShareOptions,
): Promise<Uint8Array> {
  const [share] = await coefficientShares(parametersOrContext, secretShare, [c1], options);
  return share as Uint8Array;
}
