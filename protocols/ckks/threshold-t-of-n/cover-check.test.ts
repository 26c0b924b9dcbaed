import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyCustodyError } from '../../errors.js';
import { liveSealHandleCount } from '../ckks-session.js';
import { ThresholdCkksContext } from '../threshold/threshold-context.js';
import { DEFAULT_THRESHOLD_CKKS } from '../threshold/threshold-parameters.js';
import { assertCoverCheck, canaryMatches, coverCommittees, runCoverCheck, type CanaryDecryption } from './cover-check.js';
import { decryptWithCommittee, encryptedSum, setUpTofnFederation, type TofnFederation } from './testing/tofn-federation.js';

const CANARY_VALUES = 256;

describe('cover committees', () => {
  it('⌈N/t⌉ committees of exactly t members cover every roster member', () => {
    expect(coverCommittees(['p1', 'p2', 'p3', 'p4', 'p5'], 3)).toEqual([['p1', 'p2', 'p3'], ['p1', 'p4', 'p5']]);
    expect(coverCommittees(['c', 'a', 'b'], 3)).toEqual([['a', 'b', 'c']]);
    for (const [n, t] of [[10, 6], [10, 2], [7, 3], [3, 2]] as const) {
      const roster = Array.from({ length: n }, (_, index) => `m${String(index).padStart(2, '0')}`);
      const committees = coverCommittees(roster, t);
      expect(committees).toHaveLength(Math.ceil(n / t));
      for (const committee of committees) expect(new Set(committee).size).toBe(t);
      expect(new Set(committees.flat())).toEqual(new Set(roster));
    }
    expect(() => coverCommittees(['a', 'b'], 3)).toThrow(KeyCustodyError);
  });

  it('with a simulated bad share, names the member holding it, whatever its position', async () => {
    const roster = ['p1', 'p2', 'p3', 'p4', 'p5'];
    for (const bad of roster) {
      const calls: string[] = [];
      const result = await runCoverCheck(roster, 3, async (committee) => {
        calls.push(committee.join(','));
        return !committee.includes(bad);
      });
      expect(result.consistent).toBe(false);
      expect(result.inconsistentMembers).toEqual([bad]);
      expect(result.undetermined).toEqual([]);
      expect(new Set(calls).size).toBe(calls.length); // every committee once: one canary each
    }
    expect((await runCoverCheck(roster, 3, async () => true)).committees.map((entry) => entry.purpose)).toEqual(['cover', 'cover']);
  });
});

describe('setup consistency check on real SEAL (N = 5, t = 3)', () => {
  let context: ThresholdCkksContext;
  let handlesBefore: number;
  const federations: TofnFederation[] = [];

  beforeAll(async () => {
    handlesBefore = liveSealHandleCount();
    context = await ThresholdCkksContext.create(DEFAULT_THRESHOLD_CKKS);
  });

  afterAll(() => {
    for (const federation of federations) federation.wipe();
    context.dispose();
    expect(liveSealHandleCount()).toBe(handlesBefore);
  });

  /** A fresh public canary per committee, encrypted under the collective key, decrypted by the committee. */
  function canaryDecryption(federation: TofnFederation, canaries: { committee: string; c1: string }[]): CanaryDecryption {
    return async (committee) => {
      const canary = Float64Array.from(randomBytes(CANARY_VALUES), (byte) => byte - 128.5);
      const chunks = await encryptedSum(context, federation.publicKey, [canary]);
      canaries.push({ committee: committee.join(','), c1: Buffer.from(chunks[0] as Uint8Array).toString('hex', 200, 232) });
      return canaryMatches(await decryptWithCommittee(context, federation, committee, chunks, CANARY_VALUES), canary);
    };
  }

  it('passes for an honest resharing with ⌈N/t⌉ = 2 canary decryptions', async () => {
    const federation = await setUpTofnFederation(context, 5, 3, { jobId: 'cover-honest' });
    federations.push(federation);
    const result = await runCoverCheck(federation.ids, 3, canaryDecryption(federation, []));
    expect(result).toMatchObject({ consistent: true, inconsistentMembers: [], undetermined: [] });
    expect(result.committees).toHaveLength(2);
    expect(() => assertCoverCheck(result)).not.toThrow();
  });

  it('one sender corrupts the share it sends to p4: the check fails and names p4 and the failing committees', async () => {
    const federation = await setUpTofnFederation(context, 5, 3, {
      jobId: 'cover-corrupt',
      corrupt: (from, to, share) => {
        // One coefficient of σ_{p2→p4} changed (bit 1 of its low word: stays below the prime).
        if (from === 'p2' && to === 'p4') share[88 + 8 * 100] = (share[88 + 8 * 100] as number) ^ 0x02;
      },
    });
    federations.push(federation);
    const canaries: { committee: string; c1: string }[] = [];
    const result = await runCoverCheck(federation.ids, 3, canaryDecryption(federation, canaries));
    expect(result.consistent).toBe(false);
    expect(result.inconsistentMembers).toEqual(['p4']);
    expect(result.committees.map(({ committee, decrypted, purpose }) => `${purpose} {${committee.join(',')}} ${decrypted ? 'ok' : 'FAILED'}`)).toEqual([
      'cover {p1,p2,p3} ok',
      'cover {p1,p4,p5} FAILED',
      'diagnosis {p1,p2,p4} FAILED',
      'diagnosis {p1,p2,p5} ok',
    ]);
    // Every committee decrypted its own fresh canary: no c1 went to two committees.
    expect(new Set(canaries.map((canary) => canary.c1)).size).toBe(canaries.length);
    expect(() => assertCoverCheck(result)).toThrow(/committees \{p1, p4, p5\}, \{p1, p2, p4\} did not decrypt their canary; inconsistent t-of-N share at p4/);
  });
});
