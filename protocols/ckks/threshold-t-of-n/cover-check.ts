/**
 * Setup consistency check. RLWE key shares have no verifiable secret sharing, so after a resharing the
 * parties decrypt public canaries: a bad σ_{i→j} corrupts S(α_j) and therefore every committee that
 * contains j, and nothing else.
 *
 * 1. Cover: ⌈N/t⌉ committees (the sorted roster cut into windows of t, the last one wrapping around)
 *    that together contain every member; each decrypts its OWN fresh canary ciphertext (never two
 *    committees for one c1, even here).
 * 2. Diagnosis, only if a committee failed: if fewer than t−1 members are vouched for by a passing
 *    committee, other committees are tried (bounded) until enough are; then every member of a failing
 *    committee that nobody vouches for is tried with t−1 vouched members, on another fresh canary.
 *    A member whose committee then fails holds an inconsistent share (single-bad-share diagnosis;
 *    several bad shares may leave members "undetermined", and the resharing is redone either way).
 * `decrypt(committee)` encrypts a fresh canary under the collective key, gets the members' partial
 * decryptions, combines them and says whether the canary came back (within tolerance).
 */
import { KeyCustodyError } from '../../errors.js';
import { assertThreshold, committeeMapKey } from './committee.js';

export type CanaryDecryption = (committee: readonly string[]) => Promise<boolean>;

export interface CoverCheckResult {
  /** True when every committee tried decrypted its canary. */
  readonly consistent: boolean;
  /** Every committee tried, in order, with its outcome. */
  readonly committees: readonly { readonly committee: readonly string[]; readonly decrypted: boolean; readonly purpose: 'cover' | 'diagnosis' }[];
  /** Members whose t-of-N share is inconsistent (one of the shares they received was bad). */
  readonly inconsistentMembers: readonly string[];
  /** Members of failing committees that could not be cleared or blamed (not enough vouched members). */
  readonly undetermined: readonly string[];
}

/** ⌈N/t⌉ committees of t sorted roster members that together cover the roster. */
export function coverCommittees(roster: readonly string[], threshold: number): string[][] {
  assertThreshold(threshold, roster.length);
  const sorted = [...roster].sort();
  const committees: string[][] = [];
  for (let start = 0; start < sorted.length; start += threshold) {
    committees.push(Array.from({ length: threshold }, (_, offset) => sorted[(start + offset) % sorted.length] as string).sort());
  }
  return committees;
}

export async function runCoverCheck(roster: readonly string[], threshold: number, decrypt: CanaryDecryption): Promise<CoverCheckResult> {
  const tried: { committee: readonly string[]; decrypted: boolean; purpose: 'cover' | 'diagnosis' }[] = [];
  const outcomes = new Map<string, boolean>();
  const vouched = new Set<string>();
  const suspects = new Set<string>();
  const attempt = async (committee: readonly string[], purpose: 'cover' | 'diagnosis'): Promise<boolean> => {
    const key = committeeMapKey(committee);
    const known = outcomes.get(key);
    if (known !== undefined) return known;
    const decrypted = await decrypt(committee);
    outcomes.set(key, decrypted);
    tried.push({ committee, decrypted, purpose });
    for (const member of committee) (decrypted ? vouched : suspects).add(member);
    return decrypted;
  };
  for (const committee of coverCommittees(roster, threshold)) await attempt(committee, 'cover');
  if (suspects.size > 0) {
    // Not enough members vouched for by a passing committee: look for one among the other committees
    // (bounded: at most N·t more canaries), e.g. when the bad share sits with a member of every cover committee.
    let budget = roster.length * threshold;
    for (const committee of committeesOf([...roster].sort(), threshold)) {
      if (vouched.size >= threshold - 1 || budget === 0) break;
      if (outcomes.has(committee.join('\0'))) continue;
      budget -= 1;
      await attempt(committee, 'diagnosis');
    }
  }
  const inconsistent: string[] = [];
  const undetermined: string[] = [];
  const helpers = [...vouched].sort();
  for (const suspect of [...suspects].filter((member) => !vouched.has(member)).sort()) {
    if (helpers.length < threshold - 1) {
      undetermined.push(suspect);
      continue;
    }
    const committee = [...helpers.slice(0, threshold - 1), suspect].sort();
    if (!(await attempt(committee, 'diagnosis'))) inconsistent.push(suspect);
  }
  const consistent = tried.every((entry) => entry.decrypted);
  if (!consistent && inconsistent.length === 0 && undetermined.length === 0) {
    // A committee failed although each of its members decrypted elsewhere: not a single bad share.
    undetermined.push(...[...new Set(tried.filter((entry) => !entry.decrypted).flatMap((entry) => entry.committee))].sort());
  }
  return { consistent, committees: tried, inconsistentMembers: inconsistent, undetermined };
}

/** Every size-t subset of the sorted roster, in lexicographic order, lazily. */
function* committeesOf(sorted: readonly string[], size: number, start = 0): Generator<string[]> {
  if (size === 0) {
    yield [];
    return;
  }
  for (let index = start; index <= sorted.length - size; index += 1) {
    for (const rest of committeesOf(sorted, size - 1, index + 1)) yield [sorted[index] as string, ...rest];
  }
}

/** Throws KeyCustodyError naming the failing committees and members when the check did not pass. */
export function assertCoverCheck(result: CoverCheckResult): void {
  if (result.consistent) return;
  const failing = result.committees.filter((entry) => !entry.decrypted).map((entry) => `{${entry.committee.join(', ')}}`);
  const blame = [
    result.inconsistentMembers.length > 0 ? `inconsistent t-of-N share at ${result.inconsistentMembers.join(', ')}` : '',
    result.undetermined.length > 0 ? `undetermined: ${result.undetermined.join(', ')}` : '',
  ].filter(Boolean);
  throw new KeyCustodyError(`t-of-N setup check failed: committees ${failing.join(', ')} did not decrypt their canary; ${blame.join('; ')}; redo the resharing`);
}

/** A canary came back: every value within `tolerance` of what was encrypted. */
export function canaryMatches(decrypted: Float64Array, canary: Float64Array, tolerance = 1e-4): boolean {
  if (decrypted.length !== canary.length) return false;
  for (let index = 0; index < canary.length; index += 1) {
    if (!(Math.abs((decrypted[index] as number) - (canary[index] as number)) <= tolerance)) return false;
  }
  return true;
}
