import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyCustodyError } from '../../errors.js';
import { liveSealHandleCount } from '../ckks-session.js';
import { combineDecryptionShares } from '../threshold/combine-decryption-shares.js';
import { createDecryptionShare } from '../threshold/decryption-share.js';
import { ThresholdCkksContext } from '../threshold/threshold-context.js';
import { DEFAULT_SMUDGING_SIGMA_BITS, DEFAULT_THRESHOLD_CKKS } from '../threshold/threshold-parameters.js';
import { combineCommitteeShares, createCommitteeDecryptionShare } from './combiner.js';
import { decryptWithCommittee, encryptedSum, maxAbsError, setUpTofnFederation, subsetsOf, testVector, type TofnFederation } from './testing/tofn-federation.js';

const smudging = { smudgingSigmaBits: DEFAULT_SMUDGING_SIGMA_BITS };
/** The acceptance size; HEFL_TOFN_TEST_PARAMETERS shrinks it on a slow machine. */
const LARGE = Number(process.env.HEFL_TOFN_TEST_PARAMETERS ?? 1_000_000);
const SMALL = 20_000;
/** HEFL_TEST_TIME_SCALE (default 3) times a quiet machine's allowance, as test/support/time-scale.ts does. */
const scaledMs = (ms: number): number => Math.ceil(ms * Number(process.env.HEFL_TEST_TIME_SCALE || 3));

function plainSum(vectors: readonly Float64Array[]): Float64Array {
  const sum = new Float64Array(vectors[0]?.length ?? 0);
  for (const values of vectors) values.forEach((value, index) => (sum[index] = (sum[index] as number) + value));
  return sum;
}

describe('t-of-N threshold decryption, N = 5, t = 3 (default threshold CKKS parameters, real SEAL)', () => {
  let context: ThresholdCkksContext;
  let handlesBefore: number;
  let federation: TofnFederation;
  let small: { chunks: Uint8Array[]; expected: Float64Array };

  beforeAll(async () => {
    handlesBefore = liveSealHandleCount();
    context = await ThresholdCkksContext.create(DEFAULT_THRESHOLD_CKKS);
    federation = await setUpTofnFederation(context, 5, 3);
    const vectors = federation.ids.map((_, party) => testVector(SMALL, 11 + party, 1e3));
    small = { chunks: await encryptedSum(context, federation.publicKey, vectors), expected: plainSum(vectors) };
  }, scaledMs(60_000));

  afterAll(() => {
    federation.wipe();
    context.dispose();
    expect(liveSealHandleCount()).toBe(handlesBefore);
  });

  it(
    `every one of the 10 committees decrypts the sum of 5 × ${LARGE.toLocaleString('en')} values within 1e-6`,
    async () => {
      let started = performance.now();
      const vectors = federation.ids.map((_, party) => testVector(LARGE, 101 + party, 1e3));
      const chunks = await encryptedSum(context, federation.publicKey, vectors);
      const expected = plainSum(vectors);
      const encryptSeconds = (performance.now() - started) / 1000;
      const lines: string[] = [];
      for (const committee of subsetsOf(federation.ids, 3)) {
        started = performance.now();
        const decrypted = await decryptWithCommittee(context, federation, committee, chunks, LARGE);
        const error = maxAbsError(decrypted, expected);
        lines.push(`{${committee.join(',')}}: max |error| ${error.toExponential(2)}, ${((performance.now() - started) / 1000).toFixed(2)} s`);
        expect(error, committee.join(',')).toBeLessThan(1e-6);
      }
      console.info(`t-of-N ${LARGE} values (${chunks.length} chunks), encrypt+sum 5 parties ${encryptSeconds.toFixed(1)} s\n  ${lines.join('\n  ')}`);
    },
    scaledMs(240_000),
  );

  it('two shares give garbage: two members of a committee, or two colluders interpolating between themselves', async () => {
    const { roster } = federation.resharing;
    const committee = ['p1', 'p2', 'p3'];
    const shares: Uint8Array[][] = [];
    for (const self of ['p1', 'p2']) shares.push(await createCommitteeDecryptionShare(context, federation.thresholdShares.get(self)!, { roster, threshold: 3, self, committee }, small.chunks, smudging));
    const partial = maxAbsError(await combineDecryptionShares(context, small.chunks, shares, SMALL), small.expected);
    // Two colluders apply the 2-point Lagrange coefficients to their own shares: S(α_1), S(α_2) of a degree-2 S.
    const colluders = await decryptWithCommittee(context, { ...federation, resharing: { ...federation.resharing, threshold: 2 } }, ['p1', 'p2'], small.chunks, SMALL);
    const colluding = maxAbsError(colluders, small.expected);
    console.info(`t-of-N garbage: 2 of a committee's 3 shares → max |error| ${partial.toExponential(2)}; 2 colluders → ${colluding.toExponential(2)}`);
    expect(partial).toBeGreaterThan(1e6);
    expect(colluding).toBeGreaterThan(1e6);
  });

  it('shares computed for one committee and combined as another give garbage', async () => {
    const { roster } = federation.resharing;
    const forT = ['p1', 'p2', 'p3'];
    const forTPrime = ['p1', 'p2', 'p4'];
    const shares = new Map<string, Uint8Array[]>();
    for (const self of ['p1', 'p2']) shares.set(self, await createCommitteeDecryptionShare(context, federation.thresholdShares.get(self)!, { roster, threshold: 3, self, committee: forT }, small.chunks, smudging));
    shares.set('p4', await createCommitteeDecryptionShare(context, federation.thresholdShares.get('p4')!, { roster, threshold: 3, self: 'p4', committee: forTPrime }, small.chunks, smudging));
    const mixed = maxAbsError(await combineCommitteeShares(context, small.chunks, { roster, threshold: 3, committee: forTPrime }, shares, SMALL), small.expected);
    console.info(`t-of-N garbage: shares for {p1,p2,p3} combined as {p1,p2,p4} → max |error| ${mixed.toExponential(2)}`);
    expect(mixed).toBeGreaterThan(1e6);
  });

  it('refuses |T| ≠ t, duplicate or non-roster ids, a member outside T, and shares missing or from outsiders', async () => {
    const { roster } = federation.resharing;
    const share = federation.thresholdShares.get('p1')!;
    const attempt = (committee: string[], self = 'p1') => createCommitteeDecryptionShare(context, share, { roster, threshold: 3, self, committee }, small.chunks, smudging);
    await expect(attempt(['p1', 'p2'])).rejects.toThrow(/2 members; exactly t = 3/);
    await expect(attempt(['p1', 'p2', 'p3', 'p4'])).rejects.toThrow(/4 members; exactly t = 3/);
    await expect(attempt(['p1', 'p1', 'p2'])).rejects.toThrow(/names p1 twice/);
    await expect(attempt(['p1', 'p2', 'mallory'])).rejects.toThrow(/not on the roster/);
    await expect(attempt(['p2', 'p3', 'p4'])).rejects.toThrow(/p1 is asked to decrypt for a committee it is not part of/);
    await expect(attempt(['p1', 'p2', 'p3'])).resolves.toHaveLength(small.chunks.length);
    const committee = ['p1', 'p2', 'p3'];
    const shares = new Map([['p1', [] as Uint8Array[]], ['p2', []], ['p4', []]]);
    await expect(combineCommitteeShares(context, small.chunks, { roster, threshold: 3, committee }, shares, SMALL)).rejects.toThrow(/missing p3; p4 is not on the committee/);
    await expect(combineCommitteeShares(context, small.chunks, { roster, threshold: 3, committee: ['p1', 'p2'] }, shares, SMALL)).rejects.toThrow(KeyCustodyError);
  });

  it('t = N reduces to N-of-N: the one committee decrypts what the N-of-N shares of Σ s_i decrypt', async () => {
    const full = await setUpTofnFederation(context, 3, 3, { jobId: 'tofn-3-of-3' });
    try {
      const vectors = full.ids.map((_, party) => testVector(SMALL, 31 + party, 1e3));
      const chunks = await encryptedSum(context, full.publicKey, vectors);
      const expected = plainSum(vectors);
      const viaCommittee = await decryptWithCommittee(context, full, full.ids, chunks, SMALL);
      const nOfNShares: Uint8Array[][] = [];
      for (const key of full.keys.values()) nOfNShares.push(await createDecryptionShare(context, key.secretShare, chunks, smudging));
      const viaNOfN = await combineDecryptionShares(context, chunks, nOfNShares, SMALL, { expectedParties: 3 });
      console.info(`t = N = 3: committee max |error| ${maxAbsError(viaCommittee, expected).toExponential(2)}, N-of-N ${maxAbsError(viaNOfN, expected).toExponential(2)}, between them ${maxAbsError(viaCommittee, viaNOfN).toExponential(2)}`);
      expect(maxAbsError(viaCommittee, expected)).toBeLessThan(1e-6);
      expect(maxAbsError(viaNOfN, expected)).toBeLessThan(1e-6);
      expect(maxAbsError(viaCommittee, viaNOfN)).toBeLessThan(1e-6);
    } finally {
      full.wipe();
    }
  });
});
