/**
 * The public side of t-of-N custody: Shamir evaluation points, committees and Lagrange coefficients.
 *
 * - Points: α_j = 1 + (index of participant j in the sorted roster). Public, distinct, non-zero and far
 *   below every SEAL prime (≥ 2^30), so every difference α_m − α_j is invertible modulo every prime.
 * - Committee T: exactly t distinct roster members. Member j scales its Shamir share S(α_j) by
 *   λ_j(T) = Π_{m∈T, m≠j} α_m · (α_m − α_j)^{-1}  (mod q, per RNS prime),
 *   so that Σ_{j∈T} λ_j(T)·S(α_j) = S(0) = s: a t-of-t additive sharing of the collective key.
 * Refusals are KeyCustodyError: a committee that is not exactly t distinct roster members (or, for a
 * member, does not include it) must never get a partial decryption.
 */
import { createHash } from 'node:crypto';
import { KeyCustodyError } from '../../errors.js';

/** Roster sizes above this are refused (the points must stay tiny next to the primes). */
export const MAX_ROSTER_SIZE = 1024;

/** α for every roster member: 1 + its index in the sorted roster. */
export function shamirPoints(roster: readonly string[]): ReadonlyMap<string, number> {
  if (roster.length < 2) throw new KeyCustodyError(`t-of-N custody needs at least 2 roster members, got ${roster.length}`);
  if (roster.length > MAX_ROSTER_SIZE) throw new KeyCustodyError(`t-of-N custody supports at most ${MAX_ROSTER_SIZE} roster members, got ${roster.length}`);
  const sorted = [...roster].sort();
  sorted.forEach((id, index) => {
    if (id.length === 0) throw new KeyCustodyError('a roster member has an empty id');
    if (index > 0 && sorted[index - 1] === id) throw new KeyCustodyError(`the roster names ${id} twice`);
  });
  return new Map(sorted.map((id, index) => [id, index + 1]));
}

/** Refuses a threshold outside 2 ≤ t ≤ N. */
export function assertThreshold(threshold: number, rosterSize: number): void {
  if (!Number.isInteger(threshold) || threshold < 2 || threshold > rosterSize) {
    throw new KeyCustodyError(`threshold ${threshold} is outside 2..${rosterSize} (the roster size)`);
  }
}

export interface CommitteeRules {
  readonly roster: readonly string[];
  readonly threshold: number;
  /** When given (a member checking a request), the committee must include it. */
  readonly self?: string;
}

/**
 * Checks a committee against the roster and threshold; returns it sorted. Throws KeyCustodyError naming
 * the rule: |T| ≠ t, a duplicate id, a non-roster id, or a member asked to decrypt without being in T.
 */
export function assertCommittee(committee: readonly string[], rules: CommitteeRules): string[] {
  const { roster, threshold, self } = rules;
  assertThreshold(threshold, roster.length);
  if (!Array.isArray(committee)) throw new KeyCustodyError('the committee must be a list of participant ids');
  const distinct = new Set(committee);
  if (distinct.size !== committee.length) {
    const twice = committee.filter((id, index) => committee.indexOf(id) !== index);
    throw new KeyCustodyError(`the committee names ${[...new Set(twice)].join(', ')} twice`);
  }
  if (committee.length !== threshold) throw new KeyCustodyError(`the committee has ${committee.length} members; exactly t = ${threshold} are required`);
  const strangers = committee.filter((id) => !roster.includes(id));
  if (strangers.length > 0) throw new KeyCustodyError(`committee members ${strangers.join(', ')} are not on the roster`);
  if (self !== undefined && !distinct.has(self)) throw new KeyCustodyError(`${self} is asked to decrypt for a committee it is not part of`);
  return [...committee].sort();
}

/** SHA-256 (hex) of a committee: its sorted ids. Goes next to c1's digest in the guard and the ledger. */
/** A committee's members in sorted order, NUL-joined: the same string whatever order the ids come in. */
export function committeeMapKey(committee: readonly string[]): string {
  return [...committee].sort().join('\0');
}

export function committeeDigest(committee: readonly string[]): string {
  return createHash('sha256').update('hefl-tofn-committee/1\0').update(committeeMapKey(committee)).digest('hex');
}

/** λ_j(T) modulo each prime, for the member at `point` of a committee with `committeePoints`. */
export function lagrangeCoefficients(point: number, committeePoints: readonly number[], primes: readonly bigint[]): bigint[] {
  if (!committeePoints.includes(point)) throw new KeyCustodyError(`point ${point} is not in the committee`);
  if (new Set(committeePoints).size !== committeePoints.length) throw new KeyCustodyError('committee points are not distinct');
  return primes.map((prime) => {
    let numerator = 1n;
    let denominator = 1n;
    for (const other of committeePoints) {
      if (other === point) continue;
      const alpha = BigInt(other);
      numerator = (numerator * alpha) % prime;
      denominator = (denominator * modulo(alpha - BigInt(point), prime)) % prime;
    }
    return (numerator * inverse(denominator, prime)) % prime;
  });
}

function modulo(value: bigint, prime: bigint): bigint {
  const remainder = value % prime;
  return remainder < 0n ? remainder + prime : remainder;
}

/** Modular inverse by the extended Euclidean algorithm (the values are public). */
export function inverse(value: bigint, prime: bigint): bigint {
  let [oldR, r] = [modulo(value, prime), prime];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const quotient = oldR / r;
    [oldR, r] = [r, oldR - quotient * r];
    [oldS, s] = [s, oldS - quotient * s];
  }
  if (oldR !== 1n) throw new KeyCustodyError(`${value} has no inverse modulo ${prime}`);
  return modulo(oldS, prime);
}
