/**
 * N-of-N threshold CKKS for HEFL: no single party — not the coordinator, not any one participant — can
 * decrypt an individual update; only the aggregate is decrypted, jointly, by all parties.
 * No transport here: callers move the bytes, sign them and enforce the order of the steps.
 *
 * Key setup (once per job, dealer-free):
 *   1. createSeedContribution({ jobId, participantId }) -> { seed, commitment }; publish commitment.
 *   2. After all commitments: reveal seed; verifySeedReveal(commitment, seed, { jobId, participantId })
 *      for every peer; deriveCommonSeed(jobId, reveals) -> 64-byte common seed (order-independent).
 *   3. createKeyShare(parameters, commonSeed) -> { secretShare (keep, never send), publicShare }.
 *      Publish publicShareCommitment(jobId, participantId, publicShare) first; reveal publicShare only
 *      after every commitment is in (rogue-key defence), and check each share against its commitment.
 *   4. combinePublicShares(parameters, commonSeed, publicShares) -> SEAL PublicKey bytes; every party
 *      recomputes it and compares collectiveKeyFingerprint(bytes). CkksSession.create(parameters,
 *      { publicKey }) then encrypts under it as usual.
 * Each round:
 *   5. The coordinator sums the ciphertexts (CkksSession.addInPlace). Each party checks that the chunks it
 *      is asked to decrypt are the sum of all N signed updates (never one party's update), then
 *      createDecryptionShare(parameters, secretShare, chunks, { smudgingSigmaBits, budget }) -> one share
 *      per chunk. A DecryptionBudget per secret share refuses repeats and enforces tau.
 *   6. combineDecryptionShares(parameters, chunks, sharesByParty, length) -> Float64Array (all N needed).
 *
 * Parameters: DEFAULT_THRESHOLD_CKKS (N = 8192, primes 55+55+60, scale 2^72) with
 * DEFAULT_SMUDGING_SIGMA_BITS = 40; smudgingBitsFor(parameters, { parties, maxDecryptions }) sizes sigma
 * for other federations, and sigma below MIN_SMUDGING_SIGMA_BITS (2^30) is refused.
 * Every function takes parameters or a ThresholdCkksContext (reused across calls; dispose it when done).
 *
 * API (P = CkksParameters | ThresholdCkksContext; every byte array from a peer is fully validated):
 *   createSeedContribution(ctx: { jobId, participantId }): { seed: Uint8Array(32); commitment: string }
 *   verifySeedReveal(commitment: string, seed: Uint8Array, ctx: { jobId, participantId }): boolean
 *   deriveCommonSeed(jobId: string, reveals: { participantId, seed }[]): Uint8Array(64)
 *   createKeyShare(p: P, commonSeed): Promise<{ secretShare: Uint8Array; publicShare: Uint8Array }>
 *   publicShareCommitment(jobId, participantId, publicShare): string            (SHA-256 hex)
 *   combinePublicShares(p: P, commonSeed, publicShares: Uint8Array[]): Promise<Uint8Array>  (SEAL PublicKey)
 *   collectiveKeyFingerprint(publicKey: Uint8Array): string
 *   createDecryptionShare(p: P, secretShare, chunks: Uint8Array[], { smudgingSigmaBits, budget? }): Promise<Uint8Array[]>
 *   combineDecryptionShares(p: P, chunks, shares: Uint8Array[][], length, { expectedParties? }): Promise<Float64Array>
 *   smudgingBitsFor(parameters, { parties, maxDecryptions, statisticalSecurityBits? }): number
 *   ThresholdCkksContext.create(parameters): Promise<ThresholdCkksContext>   ([Symbol.dispose])
 *   new DecryptionBudget(maxCiphertexts).spend(digests)
 * Errors: CiphertextError for malformed/misdirected bytes; KeyCustodyError for refused custody
 * (smudging below the minimum, a lone public share, repeated or over-budget decryption, a bad secret share).
 *
 * Known limits: N-1 colluding parties learn the last party's update from the decrypted sum (use
 * differential privacy); one missing party blocks decryption; a party can sabotage (not learn from)
 * decryption by sending a wrong share; JS cannot guarantee constant time or wipe SEAL's WASM heap.
 */
export { c1Digests, contributorSetDigest } from './c1-digest.js';
export { createSeedContribution, deriveCommonSeed, seedCommitment, verifySeedReveal, COMMON_SEED_BYTES, SEED_CONTRIBUTION_BYTES } from './common-seed.js';
export type { SeedContext, SeedContribution, SeedReveal } from './common-seed.js';
export {
  DEFAULT_THRESHOLD_CKKS,
  DEFAULT_SMUDGING_SIGMA_BITS,
  MIN_SMUDGING_SIGMA_BITS,
  MAX_SMUDGING_SIGMA_BITS,
  smudgingBitsFor,
  smudgingErrorEstimate,
  assertSmudgingSigmaBits,
  ciphertextsPerModel,
} from './threshold-parameters.js';
export type { SmudgingBudget } from './threshold-parameters.js';
export { createKeyShare, publicShareCommitment } from './key-share.js';
export type { KeyShare } from './key-share.js';
export { combinePublicShares, collectiveKeyFingerprint } from './collective-public-key.js';
export { createDecryptionShare } from './decryption-share.js';
export type { DecryptionShareOptions } from './decryption-share.js';
export { combineDecryptionShares } from './combine-decryption-shares.js';
export type { CombineOptions } from './combine-decryption-shares.js';
export { DecryptionBudget } from './decryption-budget.js';
export { ThresholdCkksContext } from './threshold-context.js';
export type { RnsLevel } from './threshold-context.js';
export { DiscreteGaussianSampler } from './discrete-gaussian.js';
