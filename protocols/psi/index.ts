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
 * Hashing costs ~80 µs per id on one core: Elligator 2 needs two field exponentiations per id, which
 * run in OpenSSL through a Diffie–Hellman context used as a modexp (field25519.ts, checked against
 * BigInt at start-up, BigInt fallback); BigInt alone, or noble's ed25519_hasher, cost ~250 µs. A
 * blinding is one X25519 (~40 µs). Both run on worker threads (PsiWorkerPool), contiguous ranges.
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
 * party colluding with the coordinator can test chosen ids. Incoming elements are checked for form
 * (canonical, not low order, no repeats, length) but not for lying on the curve rather than the twist:
 * that costs an exponentiation each, and X25519's twist security and clamped scalars mean a twist point
 * only spoils the sender's own result.
 *
 * Use: every party builds a PsiParty (fresh scalar) and sends ownBlindedList(); for each route of
 * ringSchedule() the hop's party answers blindForPeer(list); the coordinator runs
 * intersectBlindedLists() on the fully blinded lists and returns encodeRanks(ranks) to each owner, who
 * calls alignment(decodeRanks(bytes, listLength)). runLocalPsi() does all of it in one process.
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
