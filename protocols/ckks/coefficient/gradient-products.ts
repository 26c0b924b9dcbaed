/**
 * Step 3 of a batch, at party i: for each own feature column x_j, the product Enc(d) * p_j
 * (feature-polynomial.ts), re-randomised with a fresh Enc(0) under the collective key. c1 goes to the
 * other key holders; coefficient 0 of c0 stays with party i.
 *
 * Why re-randomise: every key holder also sees Enc(d) = (c0_d, c1_d). Without the mask, c1 = c1_d * p_j
 * and p_j = c1 / c1_d (pointwise in NTT form) would hand the whole column x_j to every key holder.
 */
import { CiphertextError } from '../../errors.js';
import type { CkksParameters } from '../ckks-parameters.js';
import { addRnsInPlace } from '../threshold/rns-words.js';
import { parseSealCiphertext, writeSealPlaintext } from '../threshold/seal-layout.js';
import { ThresholdCkksContext, withThresholdContext, type RnsLevel } from '../threshold/threshold-context.js';
import { c1Digest, encodeC1 } from './c1-format.js';
import { checkFeatureBounds, DEFAULT_FEATURE_SCALE_BITS, DEFAULT_MAX_ABS_FEATURE, DEFAULT_MAX_COLUMN_RMS } from './coefficient-parameters.js';
import { checkFeatureColumns, featurePolynomial } from './feature-polynomial.js';
import { loadForwardCiphertext, withPublicKeyEncryptor } from './forward-ciphertext.js';
import { coefficientZero, toNttForm } from './seal-transforms.js';

export interface GradientProductOptions {
  readonly featureScaleBits?: number;
  readonly maxAbsFeature?: number;
  /** RMS bound per column and batch; `null` for none (then the clip alone bounds the noise). */
  readonly maxColumnRms?: number | null;
}

/** What party i keeps of its products: coefficient 0 of each c0, bound to its c1. Not secret on its own. */
export interface KeptCoefficients {
  readonly level: RnsLevel;
  readonly featureScaleBits: number;
  /** 2k words per feature: coefficient 0 of c0 modulo each prime. */
  readonly residues: readonly Uint32Array[];
  /** Digest of each c1 (c1-format.ts), so the combination is checked against the products sent. */
  readonly c1Digests: readonly string[];
}

export interface GradientProducts {
  /** One SEAL Plaintext (NTT, zstd) per feature: send to every other key holder. */
  readonly c1: Uint8Array[];
  readonly kept: KeptCoefficients;
}

/** Full NTT-form (c0, c1) of each re-randomised product; exported for noise measurements in tests. */
export interface RawProducts {
  readonly level: RnsLevel;
  readonly c0: Uint32Array[];
  readonly c1: Uint32Array[];
  readonly productScale: number;
}

export async function gradientProducts(
  parametersOrContext: CkksParameters | ThresholdCkksContext,
  publicKey: Uint8Array,
  forwardSum: Uint8Array,
  columns: readonly Float64Array[],
  options: GradientProductOptions = {},
): Promise<GradientProducts> {
  return withThresholdContext(parametersOrContext, (context) => {
    const raw = rerandomisedProducts(context, publicKey, forwardSum, columns, options);
    const residues = coefficientZero(context, raw.level, raw.c0);
    const c1 = raw.c1.map((words) => encodeC1(context, raw.level, words, raw.productScale));
    const c1Digests = raw.c1.map((words) => c1Digest(raw.level.parmsId, words));
    for (const words of raw.c0) words.fill(0);
    return { c1, kept: { level: raw.level, featureScaleBits: options.featureScaleBits ?? DEFAULT_FEATURE_SCALE_BITS, residues, c1Digests } };
  });
}

export function rerandomisedProducts(
  context: ThresholdCkksContext,
  publicKey: Uint8Array,
  forwardSum: Uint8Array,
  columns: readonly Float64Array[],
  options: GradientProductOptions = {},
): RawProducts {
  const featureScaleBits = options.featureScaleBits ?? DEFAULT_FEATURE_SCALE_BITS;
  const maxAbsFeature = options.maxAbsFeature ?? DEFAULT_MAX_ABS_FEATURE;
  const maxColumnRms = options.maxColumnRms === null ? undefined : (options.maxColumnRms ?? DEFAULT_MAX_COLUMN_RMS);
  const rows = columns[0]?.length ?? 0;
  if (rows < 1 || rows > context.polyModulusDegree) throw new CiphertextError(`a batch has 1..${context.polyModulusDegree} rows, got ${rows}`);
  checkFeatureBounds(context.parameters, { featureScaleBits, maxAbsFeature, maxColumnRms, rowsPerBatch: rows });
  checkFeatureColumns(columns, rows, { featureScaleBits, maxAbsFeature, maxColumnRms });
  const level = context.dataLevels[0] as RnsLevel;
  const productScale = context.scale * 2 ** featureScaleBits;
  const polys = toNttForm(context, level, columns.map((column) => featurePolynomial(column, featureScaleBits, level.primes, context.polyModulusDegree)));

  const forward = loadForwardCiphertext(context, forwardSum, 'Enc(d)');
  const plaintext = context.own(new context.seal.Plaintext());
  const product = context.own(new context.seal.Ciphertext());
  const zero = context.own(new context.seal.Ciphertext());
  try {
    return withPublicKeyEncryptor(context, publicKey, (encryptor) => {
      const c0: Uint32Array[] = [];
      const c1: Uint32Array[] = [];
      for (const poly of polys) {
        encryptor.encryptZero(zero);
        const [z0, z1] = parseSealCiphertext(context.saveUncompressed(zero), 'encryption of zero').polys as [Uint32Array, Uint32Array];
        // SEAL refuses a product that comes out transparent: an all-zero column's product is just the mask.
        if (poly.every((word) => word === 0)) {
          c0.push(z0);
          c1.push(z1);
          continue;
        }
        context.loadInto(plaintext, writeSealPlaintext({ parmsId: level.parmsId, scale: productScale / context.scale, words: poly }), 'feature polynomial');
        context.evaluator.multiplyPlain(forward, plaintext, product);
        const [p0, p1] = parseSealCiphertext(context.saveUncompressed(product), 'gradient product').polys as [Uint32Array, Uint32Array];
        addRnsInPlace(p0, z0, level.primes, context.polyModulusDegree);
        addRnsInPlace(p1, z1, level.primes, context.polyModulusDegree);
        c0.push(p0);
        c1.push(p1);
      }
      return { level, c0, c1, productScale };
    });
  } finally {
    for (const poly of polys) poly.fill(0); // the party's feature columns
    plaintext.setZero();
    for (const handle of [zero, product, plaintext, forward]) context.release(handle);
  }
}
