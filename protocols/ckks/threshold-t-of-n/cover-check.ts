/**
 * Setup consistency check. RLWE key shares have no verifiable secret sharing, so after a resharing the
 * parties decrypt public canaries: a bad σ_{i→j} corrupts S(α_j) and therefore every committee that
 * contains j, and nothing else.
 *
 * 1. Cover: ⌈N/t⌉ committees (the sorted roster cut into windows of t, the last one wrapping around)
 *    that together contain every member; each decrypts its OWN fresh canary ciphertext (never two
 *    committees for one c1, even here).
 * 2. Diagnosis, only if a committee failed: every member of a failing committee that no passing
 *    committee vouches for is tried once more with t−1 members vouched for by a passing committee, on
 *    another fresh canary. A member whose committee then fails holds an inconsistent share.
 * `decrypt(committee)` encrypts a fresh canary under the collective key, gets the members' partial
 * decryptions, combines them and says whether the canary came back (within tolerance).
 */
import { KeyCustodyError } from '../../errors.js';
import { assertThreshold } from './committee.js';

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
  const vouched = new Set<string>();
  const suspects = new Set<string>();
  for (const committee of coverCommittees(roster, threshold)) {
    const decrypted = await decrypt(committee);
    tried.push({ committee, decrypted, purpose: 'cover' });
    for (const member of committee) (decrypted ? vouched : suspects).add(member);
  }
  for (const member of vouched) suspects.delete(member);
  const inconsistent: string[] = [];
  const undetermined: string[] = [];
  const helpers = [...vouched].sort();
  for (const suspect of [...suspects].sort()) {
    if (helpers.length < threshold - 1) {
      undetermined.push(suspect);
      continue;
    }
    const committee = [...helpers.slice(0, threshold - 1), suspect].sort();
    const decrypted = await decrypt(committee);
    tried.push({ committee, decrypted, purpose: 'diagnosis' });
    (decrypted ? helpers : inconsistent).push(suspect);
  }
  const consistent = tried.every((entry) => entry.decrypted);
  if (!consistent && inconsistent.length === 0 && undetermined.length === 0) {
    // A committee failed although each of its members decrypted elsewhere: not a single bad share.
    undetermined.push(...[...new Set(tried.filter((entry) => !entry.decrypted).flatMap((entry) => entry.committee))].sort());
  }
  return { consistent, committees: tried, inconsistentMembers: inconsistent, undetermined };
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
