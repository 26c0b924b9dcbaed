import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CiphertextError, KeyCustodyError } from '../../errors.js';
import { liveSealHandleCount } from '../ckks-session.js';
import { addRnsInPlace, polyWordCount, subtractRnsInPlace } from '../threshold/rns-words.js';
import { ThresholdCkksContext } from '../threshold/threshold-context.js';
import { DEFAULT_THRESHOLD_CKKS } from '../threshold/threshold-parameters.js';
import { committeeKeyShare } from './combiner.js';
import { multiplyRnsBySmallInteger, uniformRnsPolynomial } from './rns-polynomials.js';
import { setUpTofnFederation, subsetsOf, type TofnFederation } from './testing/tofn-federation.js';
import { aggregateShamirShares, keyWords, thresholdizeKeyShare } from './thresholdizer.js';

describe('Thresholdizer and Combiner (Lattigo testThreshold): Σ_T λ_j(T)·S(α_j) = Σ_i s_i, word for word', () => {
  let context: ThresholdCkksContext;
  let handlesBefore: number;
  let federation: TofnFederation;

  beforeAll(async () => {
    handlesBefore = liveSealHandleCount();
    context = await ThresholdCkksContext.create(DEFAULT_THRESHOLD_CKKS);
    federation = await setUpTofnFederation(context, 5, 3);
  });

  afterAll(() => {
    federation.wipe();
    context.dispose();
    expect(liveSealHandleCount()).toBe(handlesBefore);
  });

  function collectiveSecret(fed: TofnFederation): Uint32Array {
    const { keyLevel, polyModulusDegree } = context;
    const sum = new Uint32Array(polyWordCount(polyModulusDegree, keyLevel.primeCount));
    for (const key of fed.keys.values()) addRnsInPlace(sum, keyWords(context, key.secretShare, 's_i'), keyLevel.primes, polyModulusDegree);
    return sum;
  }

  async function reconstruct(fed: TofnFederation, committee: readonly string[]): Promise<Uint32Array> {
    const { keyLevel, polyModulusDegree } = context;
    const sum = new Uint32Array(polyWordCount(polyModulusDegree, keyLevel.primeCount));
    for (const self of committee) {
      const share = await committeeKeyShare(context, fed.thresholdShares.get(self) as Uint8Array, { ...fed.resharing, self, committee });
      addRnsInPlace(sum, keyWords(context, share, 'λ·S'), keyLevel.primes, polyModulusDegree);
    }
    return sum;
  }

  it('N=5, t=3: every one of the 10 committees reconstructs s exactly; no 2 members and no wrong λ do', async () => {
    const secret = collectiveSecret(federation);
    const committees = subsetsOf(federation.ids, 3);
    expect(committees).toHaveLength(10);
    for (const committee of committees) expect(await reconstruct(federation, committee), committee.join(',')).toEqual(secret);

    // Two members: λ for a 2-member set (t = 2 rules) gives a uniformly random ring element, not s.
    const pair = await reconstruct({ ...federation, resharing: { ...federation.resharing, threshold: 2 } }, ['p1', 'p2']);
    expect(pair).not.toEqual(secret);
    // λ computed for committee T, summed over T': not s.
    const { keyLevel, polyModulusDegree } = context;
    const mixed = new Uint32Array(secret.length);
    for (const [self, committee] of [['p1', ['p1', 'p2', 'p3']], ['p2', ['p1', 'p2', 'p3']], ['p4', ['p1', 'p2', 'p4']]] as const) {
      const share = await committeeKeyShare(context, federation.thresholdShares.get(self) as Uint8Array, { ...federation.resharing, self, committee });
      addRnsInPlace(mixed, keyWords(context, share, 'λ·S'), keyLevel.primes, polyModulusDegree);
    }
    expect(mixed).not.toEqual(secret);
  });

  it('t = N: the single committee reconstructs exactly today\'s N-of-N key Σ s_i', async () => {
    const full = await setUpTofnFederation(context, 3, 3, { jobId: 'tofn-full' });
    try {
      expect(await reconstruct(full, full.ids)).toEqual(collectiveSecret(full));
    } finally {
      full.wipe();
    }
  });

  it('shares are fresh each resharing, differ per recipient, and none equals s_i (uniform r_k mask it)', async () => {
    const key = federation.keys.get('p1')!;
    const first = await thresholdizeKeyShare(context, key.secretShare, federation.resharing, 'p1');
    const second = await thresholdizeKeyShare(context, key.secretShare, federation.resharing, 'p1');
    expect(first.get('p2')).not.toEqual(second.get('p2'));
    expect(first.get('p2')!.subarray(88)).not.toEqual(first.get('p3')!.subarray(88));
    const secret = keyWords(context, key.secretShare, 's_1');
    const { keyLevel, polyModulusDegree } = context;
    for (const share of first.values()) {
      const words = new Uint32Array(share.buffer.slice(share.byteOffset + 88, share.byteOffset + share.byteLength));
      subtractRnsInPlace(words, secret, keyLevel.primes, polyModulusDegree);
      // S_1(α) − s_1 = Σ α^k r_k: uniform, so (almost) no coefficient is zero.
      expect(words.filter((word) => word === 0).length).toBeLessThan(10);
    }
  });

  it('refuses shares of another epoch, sender, receiver or roster, missing or extra senders, and bad thresholds', async () => {
    const { resharing } = federation;
    const own = await thresholdizeKeyShare(context, federation.keys.get('p1')!.secretShare, resharing, 'p1');
    const others = await Promise.all(['p2', 'p3', 'p4', 'p5'].map((id) => thresholdizeKeyShare(context, federation.keys.get(id)!.secretShare, resharing, id)));
    const inboxOf = (to: string) => new Map(['p1', 'p2', 'p3', 'p4', 'p5'].map((from, index) => [from, (index === 0 ? own : others[index - 1]!).get(to)!]));
    expect(await aggregateShamirShares(context, inboxOf('p1'), resharing, 'p1')).toBeInstanceOf(Uint8Array);
    await expect(aggregateShamirShares(context, inboxOf('p2'), resharing, 'p1')).rejects.toThrow(/made for another job, key epoch/);
    await expect(aggregateShamirShares(context, inboxOf('p1'), { ...resharing, epoch: 2 }, 'p1')).rejects.toThrow(CiphertextError);
    const swapped = inboxOf('p1');
    swapped.set('p2', swapped.get('p3')!);
    await expect(aggregateShamirShares(context, swapped, resharing, 'p1')).rejects.toThrow(/from p2 to p1: made for another/);
    const short = inboxOf('p1');
    short.delete('p5');
    await expect(aggregateShamirShares(context, short, resharing, 'p1')).rejects.toThrow(/missing p5/);
    await expect(aggregateShamirShares(context, new Map([...inboxOf('p1'), ['mallory', own.get('p1')!]]), resharing, 'p1')).rejects.toThrow(/mallory is not a dealer/);
    for (const threshold of [1, 6, 2.5]) {
      await expect(thresholdizeKeyShare(context, federation.keys.get('p1')!.secretShare, { ...resharing, threshold }, 'p1')).rejects.toThrow(KeyCustodyError);
    }
    await expect(thresholdizeKeyShare(context, federation.keys.get('p1')!.secretShare, resharing, 'mallory')).rejects.toThrow(/mallory is not a dealer of this resharing/);
    await expect(thresholdizeKeyShare(context, new Uint8Array(100), resharing, 'p1')).rejects.toThrow(KeyCustodyError);
  });
});

describe('RNS helpers', () => {
  it('uniform polynomials are reduced and multiplying by a small integer equals repeated addition', async () => {
    const context = await ThresholdCkksContext.create(DEFAULT_THRESHOLD_CKKS);
    try {
      const { keyLevel, polyModulusDegree } = context;
      const random = uniformRnsPolynomial(keyLevel.primes, polyModulusDegree);
      for (let prime = 0; prime < keyLevel.primeCount; prime += 1) {
        const q = keyLevel.primes.values[prime] as bigint;
        let top = 0;
        for (let t = 0; t < polyModulusDegree; t += 1) {
          const w = (prime * polyModulusDegree + t) * 2;
          const value = (BigInt(random[w + 1] as number) << 32n) | BigInt(random[w] as number);
          expect(value < q).toBe(true);
          if (value >= q / 2n) top += 1;
        }
        expect(top / polyModulusDegree).toBeGreaterThan(0.45); // the upper half is hit as often as the lower
        expect(top / polyModulusDegree).toBeLessThan(0.55);
      }
      const repeated = new Uint32Array(random.length);
      for (let count = 0; count < 7; count += 1) addRnsInPlace(repeated, random, keyLevel.primes, polyModulusDegree);
      expect(multiplyRnsBySmallInteger(random, 7, keyLevel.primes, polyModulusDegree)).toEqual(repeated);
      expect(multiplyRnsBySmallInteger(random, 0, keyLevel.primes, polyModulusDegree)).toEqual(new Uint32Array(random.length));
    } finally {
      context.dispose();
    }
  });
});
