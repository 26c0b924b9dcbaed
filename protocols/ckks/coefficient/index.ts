/**
 * The HE core of vertical logistic regression (label at the bank, feature columns split across parties),
 * on the N-of-N threshold key of ../threshold. No transport here: callers move, sign and seal the bytes
 * (../../sealed-box for the shares) and enforce the order of the steps. README.md has the math.
 *
 * Per batch of <= N = 8,192 rows:
 *   1. Every party: encryptForwardPart(ctx, publicKey, part) with part = 0.25 u_B + 0.5 - y (bank) or
 *      0.25 u_h (host), coefficient-encoded: row r -> coefficient r.
 *   2. Coordinator: sumForwardParts(ctx, parts) -> Enc(d). d is never decrypted.
 *   3. Party i: gradientProducts(ctx, publicKey, Enc(d), columns) -> { c1[j], kept } for its own
 *      quantised, clipped columns; sends c1[j] to every other key holder.
 *   4. Every key holder k (party i too, for its own share): coefficientShares(ctx, s_k, c1s,
 *      { smudgingSigmaBits, budget }) -> 16 bytes per c1, sealed to party i only. The budget refuses a
 *      repeated c1 and more than tau in all; cap each party's requests at its feature count per batch.
 *   5. Party i: combineCoefficientShares(ctx, kept, own, peers, { featureScaleBits, expectedParties })
 *      -> <d, x_j> per feature, accurate to ~2^-31 absolute.
 * Sizing: coefficientSmudgingBits(parameters, { parties, maxDecryptions, featureScaleBits, maxAbsFeature,
 * maxColumnRms, rowsPerBatch }) (ConfigError past the sampler's 2^48 or the headroom of Q/2).
 *
 * API (P = CkksParameters | ThresholdCkksContext):
 *   encryptForwardPart(p: P, publicKey, values: Float64Array): Promise<Uint8Array>
 *   sumForwardParts(p: P, parts: Uint8Array[]): Promise<Uint8Array>
 *   gradientProducts(p: P, publicKey, forwardSum, columns: Float64Array[], options?): Promise<{ c1: Uint8Array[]; kept: KeptCoefficients }>
 *   coefficientShares(p: P, secretShare, c1s: Uint8Array[], { smudgingSigmaBits, budget? }): Promise<Uint8Array[]>
 *   coefficientShare(p: P, secretShare, c1: Uint8Array, { smudgingSigmaBits, budget? }): Promise<Uint8Array>
 *   combineCoefficientShares(p: P, kept, ownShares: Uint8Array[], peerShares: Uint8Array[][], { featureScaleBits, expectedParties }): number[]
 *   coefficientSmudgingBits(parameters, budget): number; productNoiseBoundBits(...); productSmudgingBitsFor(...)
 * Errors: CiphertextError (malformed or misdirected bytes, off-grid or out-of-bound features),
 * KeyCustodyError (smudging below 2^30, a repeated or over-budget c1, a bad key), ConfigError (sizing).
 *
 * Leakage: party i learns exactly one linear functional <d, x_j> per c1 it submits. A malicious party
 * can submit c1 * X^-k to learn coefficient k, i.e. another functional of its choosing: key holders must
 * cap requests per party per batch (its declared feature count) and record each c1 in their ledger.
 */
export { encryptForwardPart, sumForwardParts, FORWARD_PART_LIMIT } from './forward-part.js';
export { gradientProducts } from './gradient-products.js';
export type { GradientProductOptions, GradientProducts, KeptCoefficients } from './gradient-products.js';
export { coefficientShare, coefficientShares } from './coefficient-share.js';
export type { CoefficientShareOptions } from './coefficient-share.js';
export { combineCoefficientShares } from './combine-coefficient-shares.js';
export type { CombineCoefficientOptions } from './combine-coefficient-shares.js';
export {
  coefficientSmudgingBits,
  productNoiseBoundBits,
  productSmudgingBitsFor,
  featurePolynomialNormBits,
  coefficientMagnitudeBits,
  DEFAULT_FEATURE_SCALE_BITS,
  DEFAULT_MAX_ABS_FEATURE,
  DEFAULT_MAX_COLUMN_RMS,
  DEFAULT_MAX_ABS_RESIDUAL,
} from './coefficient-parameters.js';
export type { CoefficientBudget, FeatureBounds } from './coefficient-parameters.js';
