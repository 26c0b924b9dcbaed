/**
 * Private set intersection for vertical federated learning: P ≥ 2 parties align customers by an id
 * column through the coordinator, which learns no id. Transport-free: this module computes and checks
 * the byte arrays; the caller moves them.
 *
 * Protocol (multi-party commutative-blinding ECDH PSI, semi-honest):
 *  1. Each party normalises its ids (settings.ts), maps each to a curve point H(id) (below), draws a
 *     fresh 32-byte scalar a_k for this job only and sends L_k = [a_k·H(id)], padded with uniformly
 *     random subgroup elements up to `padTo` and shuffled by a permutation only it knows.
 *  2. The coordinator relays L_k around the ring (ring.ts): each other party raises every element to
 *     its scalar, position preserving, so after P−1 hops L_k holds (∏ a_j)·H(id). Fully blinded lists
 *     go to the coordinator only.
 *  3. The coordinator intersects them (intersect.ts) and tells each owner, per position, the rank of
 *     the element among the common elements sorted by value (a pseudonymous common order), or −1.
 *     Each party maps ranks to its rows (PsiParty.alignment), checking they are a valid answer.
 *
 * Group and hash: X25519 from node:crypto (x-only Montgomery ladder; clamped scalars are multiples of
 * 8, so blinding lands in the prime-order subgroup and commutes). H is RFC 9380 hash_to_curve
 * (curve25519_XMD:SHA-512_ELL2_RO_, equal in u to the edwards25519 suite mapped to Montgomery form)
 * with DST "HEFL-PSI-v1:" + jobId: a random oracle onto the prime-order subgroup, always on the curve
 * (a naive hash to u would land on the twist half the time and leak that bit through the blinding).
 *
 * Why it is secure (semi-honest parties and coordinator, no collusion with the coordinator): under DDH
 * in the prime-order subgroup with H a random oracle, (H(x), a·H(x)) for unknown a looks like pairs of
 * random elements; every list any party or the coordinator sees is blinded by at least one scalar it
 * does not hold, and scalars are fresh per job, so lists cannot be linked across jobs. The ring order
 * makes partially blinded lists of different owners incomparable (ring.ts). Padding is uniform in the
 * same group, so it is indistinguishable from real entries and never matches.
 *
 * What leaks: each party learns which of its own rows are in the (P-way) intersection, its size, and
 * a common order; the coordinator learns every list length (padTo hides set sizes) and the sizes of all
 * pairwise and larger sub-intersections of the fully blinded lists; nothing else. Not covered: a
 * malicious party may blind wrongly or replay lists (correctness, not privacy, of others' ids), and a
 * party colluding with the coordinator can test chosen ids.
 */
export { PsiError } from './psi-error.js';
export { normalizeId, prepareOwnIds, psiNormalisationSchema, psiSettingsSchema, type PreparedIds, type PsiNormalisation, type PsiSettings } from './settings.js';
export { expandMessageXmd, hashIdsToCurve, hashToField, psiDst } from './hash-to-curve.js';
export { assertBlindedEgress, elementKeys, validateBlindedList, type EgressBounds } from './element-checks.js';
export { ringSchedule, type RingRoute } from './ring.js';
export { intersectBlindedLists } from './intersect.js';
export { decodeRanks, encodeRanks, rowsByRank } from './ranks.js';
export { PsiWorkerPool, type PsiWorkerPoolOptions } from './psi-worker-pool.js';
export { PsiParty, type PsiAlignment, type PsiPartyOptions } from './psi-party.js';
export { runLocalPsi, type LocalPsiResult } from './local-run.js';
