/**
 * t-of-N threshold CKKS — the cryptographic core, wired in by `custody.threshold` < N: key setup in
 * coordinator/custody/tofn-threshold-custody.ts and participant/custody/tofn-resharing.ts, rounds in
 * participant/custody/threshold-key-holder.ts (key epochs are not wired). Built on the N-of-N module
 * (../threshold): the collective public key, encryption and aggregation are unchanged; only who can
 * decrypt changes. Any t roster members can decrypt (collusion bound t−1), nobody ever reconstructs
 * anybody's key share (no OpenFHE-style key recovery), and a committee is fixed before any member
 * computes its share.
 *
 * Resharing (once per key epoch, right after the N-of-N collective key is fixed):
 *   1. thresholdizeKeyShare(p, s_i, resharing, self) -> Map<recipient, share>   (S_i(α_j) for every j)
 *   2. sealShamirShare(share, resharing, { from: self, to }, { recipientSealingKey, senderIdentityKey })
 *      for every other recipient; the coordinator relays the envelopes; wipe the plaintext shares.
 *   3. openShamirShare(envelope, resharing, { from, to: self }, { recipientSealingPrivateKey,
 *      senderIdentityPublicKey }) for every received envelope (plus the kept own share), then
 *      aggregateShamirShares(p, received, resharing, self) -> S(α_self) as SEAL SecretKey bytes (store 0600).
 *   4. runCoverCheck(roster, t, decryptCanary) + assertCoverCheck: fresh public canaries decrypted by
 *      committees covering every member; a bad share names the member that holds it.
 * New key epoch (a node joins, leaves or is revoked), same collective key: the t members of one
 *   old-epoch committee T each deal committeeKeyShare(p, S_old(α_j), { …, committee: T }) — a t-of-t
 *   additive share of s — with thresholdizeKeyShare under { epoch + 1, roster: new roster, threshold,
 *   dealers: T }; every new member aggregates the t shares it receives; old shares are erased.
 * Each decryption:
 *   5. assertCommittee(T, { roster, threshold, self }) — exactly t distinct roster members including self;
 *      the guard refuses a second committee for the same c1 (committeeDigest next to c1Digests).
 *   6. createCommitteeDecryptionShare(p, S(α_self), { roster, threshold, self, committee }, chunks,
 *      { smudgingSigmaBits }) -> d_j = c1·λ_j(T)S(α_j) + E_j per chunk (the N-of-N share code path).
 *   7. combineCommitteeShares(p, chunks, { roster, threshold, committee }, sharesById, length).
 * Errors: KeyCustodyError for refused custody (committee rules, thresholds, malformed keys, a failed
 * cover check); CiphertextError for malformed, misdirected, tampered or foreign shares and envelopes.
 */
export { assertCommittee, assertThreshold, committeeDigest, committeeMapKey, lagrangeCoefficients, shamirPoints, MAX_ROSTER_SIZE } from './committee.js';
export type { CommitteeRules } from './committee.js';
export { aggregateShamirShares, dealersOf, shamirShareBinding, thresholdizeKeyShare } from './thresholdizer.js';
export type { ResharingContext } from './thresholdizer.js';
export { combineCommitteeShares, committeeKeyShare, createCommitteeDecryptionShare } from './combiner.js';
export type { CommitteeRequest } from './combiner.js';
export { openShamirShare, sealedShareContext, sealShamirShare, SEALED_SHARE_ENVELOPE_OVERHEAD } from './sealed-shamir-share.js';
export type { ShareRoute } from './sealed-shamir-share.js';
export { assertCoverCheck, canaryMatches, coverCommittees, runCoverCheck } from './cover-check.js';
export type { CanaryDecryption, CoverCheckResult } from './cover-check.js';
export { CANARY_LENGTH, canaryLeader, canaryValues } from './canary.js';
