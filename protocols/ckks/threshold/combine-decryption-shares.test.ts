import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CiphertextError } from '../../errors.js';
import { CkksSession, liveSealHandleCount } from '../ckks-session.js';
import { combinePublicShares } from './collective-public-key.js';
import { combineDecryptionShares } from './combine-decryption-shares.js';
import { createSeedContribution, deriveCommonSeed } from './common-seed.js';
import { createDecryptionShare } from './decryption-share.js';
import { createKeyShare, type KeyShare } from './key-share.js';
import { SHARE_HEADER_BYTES } from './share-format.js';
import { ThresholdCkksContext } from './threshold-context.js';
import { DEFAULT_SMUDGING_SIGMA_BITS, DEFAULT_THRESHOLD_CKKS } from './threshold-parameters.js';

const parameters = DEFAULT_THRESHOLD_CKKS;
const smudging = { smudgingSigmaBits: DEFAULT_SMUDGING_SIGMA_BITS };

/** Deterministic test data with magnitudes like n_i * delta_i (up to `magnitude`). */
function vector(length: number, seed: number, magnitude: number): Float64Array {
  let state = seed >>> 0;
  return Float64Array.from({ length }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 32 - 0.5) * 2 * magnitude;
  });
}

function maxAbsError(actual: Float64Array, expected: Float64Array): number {
  let max = 0;
  for (let index = 0; index < expected.length; index += 1) max = Math.max(max, Math.abs((actual[index] as number) - (expected[index] as number)));
  return max;
}

interface Federation {
  readonly keys: KeyShare[];
  readonly publicKey: Uint8Array;
}

async function setUpFederation(context: ThresholdCkksContext, parties: number, jobId: string): Promise<Federation> {
  const ids = Array.from({ length: parties }, (_, index) => `party-${index}`);
  const reveals = ids.map((participantId) => ({ participantId, seed: createSeedContribution({ jobId, participantId }).seed }));
  const commonSeed = deriveCommonSeed(jobId, reveals);
  const keys: KeyShare[] = [];
  for (let party = 0; party < parties; party += 1) keys.push(await createKeyShare(context, commonSeed));
  const publicKey = await combinePublicShares(context, commonSeed, keys.map((key) => key.publicShare));
  return { keys, publicKey };
}

/** Encrypts each party's vector under the collective key and sums them on a public-only session. */
async function encryptAndSum(publicKey: Uint8Array, vectors: Float64Array[]): Promise<{ individual: Uint8Array[][]; aggregate: Uint8Array[] }> {
  const session = await CkksSession.create(parameters, { publicKey });
  try {
    const individual = vectors.map((values) => session.encryptVector(values));
    const aggregate = (individual[0] as Uint8Array[]).map((first, chunk) => {
      const accumulator = session.loadCiphertext(first, `party 0 chunk ${chunk}`);
      for (const other of individual.slice(1)) {
        const addend = session.loadCiphertext(other[chunk] as Uint8Array, `chunk ${chunk}`);
        session.addInPlace(accumulator, addend);
        session.release(addend);
      }
      const bytes = session.serializeCiphertext(accumulator);
      session.release(accumulator);
      return bytes;
    });
    return { individual, aggregate };
  } finally {
    session.dispose();
  }
}

describe('threshold CKKS end to end', () => {
  let context: ThresholdCkksContext;
  let handlesBefore: number;

  beforeAll(async () => {
    handlesBefore = liveSealHandleCount();
    context = await ThresholdCkksContext.create(parameters);
  });

  afterAll(() => {
    context.dispose();
    // Leak test: every SEAL handle the threshold code and the sessions made is freed.
    expect(liveSealHandleCount()).toBe(handlesBefore);
  });

  for (const parties of [3, 5]) {
    it(`${parties} parties: the joint decryption equals the plain sum of 10,000 values up to 1e4 in size`, async () => {
      const length = 10_000;
      const { keys, publicKey } = await setUpFederation(context, parties, `job-${parties}`);
      const vectors = Array.from({ length: parties }, (_, party) => vector(length, 7 + party, 1e4));
      const expected = new Float64Array(length);
      for (const values of vectors) values.forEach((value, index) => (expected[index] = (expected[index] as number) + value));
      const { aggregate } = await encryptAndSum(publicKey, vectors);
      expect(aggregate).toHaveLength(Math.ceil(length / context.valuesPerCiphertext));

      const shares: Uint8Array[][] = [];
      for (const key of keys) shares.push(await createDecryptionShare(context, key.secretShare, aggregate, smudging));
      const decrypted = await combineDecryptionShares(context, aggregate, shares, length, { expectedParties: parties });
      expect(decrypted).toHaveLength(length);
      expect(maxAbsError(decrypted, expected)).toBeLessThan(1e-5);
      // The combination is order-independent.
      const reordered = await combineDecryptionShares(context, aggregate, [...shares].reverse(), length);
      expect(maxAbsError(reordered, expected)).toBeLessThan(1e-5);
      for (const key of keys) key.secretShare.fill(0);
    });
  }

  describe('custody', () => {
    let federation: Federation;
    let vectors: Float64Array[];
    let individual: Uint8Array[][];
    let aggregate: Uint8Array[];
    const length = 3_000;

    beforeAll(async () => {
      federation = await setUpFederation(context, 3, 'job-custody');
      vectors = [1, 2, 3].map((seed) => vector(length, seed, 100));
      ({ individual, aggregate } = await encryptAndSum(federation.publicKey, vectors));
    });

    it('decrypts one update only with all N shares; N-1 shares give garbage', async () => {
      const target = individual[0] as Uint8Array[];
      const shares: Uint8Array[][] = [];
      for (const key of federation.keys) shares.push(await createDecryptionShare(context, key.secretShare, target, smudging));
      const all = await combineDecryptionShares(context, target, shares, length);
      expect(maxAbsError(all, vectors[0] as Float64Array)).toBeLessThan(1e-5); // so the next check is not vacuous
      for (let missing = 0; missing < 3; missing += 1) {
        const partial = await combineDecryptionShares(context, target, shares.filter((_, party) => party !== missing), length);
        expect(maxAbsError(partial, vectors[0] as Float64Array)).toBeGreaterThan(1e3);
      }
    });

    it("one party's secret share is useless as an ordinary SEAL secret key", async () => {
      const expected = new Float64Array(length).map((_, index) => vectors.reduce((sum, values) => sum + (values[index] as number), 0));
      for (const key of federation.keys) {
        const session = await CkksSession.create(parameters, { secretKey: key.secretShare });
        try {
          expect(maxAbsError(session.decryptVector(individual[0] as Uint8Array[], length), vectors[0] as Float64Array)).toBeGreaterThan(1e3);
          expect(maxAbsError(session.decryptVector(aggregate, length), expected)).toBeGreaterThan(1e3);
        } finally {
          session.dispose();
        }
      }
    });

    it('refuses malformed, misdirected, duplicated or missing shares with CiphertextError', async () => {
      const shares: Uint8Array[][] = [];
      for (const key of federation.keys) shares.push(await createDecryptionShare(context, key.secretShare, aggregate, smudging));
      const good = await combineDecryptionShares(context, aggregate, shares, length);
      expect(good).toHaveLength(length);

      const replaceFirstChunk = (bytes: Uint8Array) => [shares[0], shares[1], [bytes]] as Uint8Array[][];
      const chunk = (shares[2] as Uint8Array[])[0] as Uint8Array;
      const attempts: [string, Uint8Array[][], RegExp][] = [
        ['truncated', replaceFirstChunk(chunk.subarray(0, chunk.length - 8)), /bytes, expected/],
        ['empty', replaceFirstChunk(new Uint8Array(0)), /bytes, expected/],
        ['coefficient >= prime', replaceFirstChunk(withCoefficient(chunk, 5, 0xffffffff, 0xffffffff)), /coefficient 5 is not below its prime/],
        ['other ciphertext', replaceFirstChunk(withByte(chunk, 60, (chunk[60] as number) ^ 1)), /another ciphertext/],
        ['wrong kind', replaceFirstChunk(withByte(chunk, 5, 1)), /decryption-share/],
        ['bad magic', replaceFirstChunk(withByte(chunk, 0, 0)), /bad magic/],
        ['duplicate party', [shares[0], shares[1], shares[1]] as Uint8Array[][], /duplicates/],
        ['wrong chunk count', [shares[0], shares[1], []] as Uint8Array[][], /sent 0 decryption share chunks/],
      ];
      for (const [name, attempt, message] of attempts) {
        await expect(combineDecryptionShares(context, aggregate, attempt, length), name).rejects.toThrow(CiphertextError);
        await expect(combineDecryptionShares(context, aggregate, attempt, length), name).rejects.toThrow(message);
      }
      await expect(combineDecryptionShares(context, aggregate, shares, length, { expectedParties: 4 })).rejects.toThrow(CiphertextError);
      await expect(combineDecryptionShares(context, aggregate, shares.slice(0, 1), length)).rejects.toThrow(CiphertextError);
      await expect(combineDecryptionShares(context, aggregate, shares, length + context.valuesPerCiphertext)).rejects.toThrow(/ciphertext chunks/);
      await expect(combineDecryptionShares(context, [new Uint8Array(100)], shares, length)).rejects.toThrow(CiphertextError);
    });
  });
});

function withByte(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[offset] = value;
  return copy;
}

function withCoefficient(bytes: Uint8Array, coefficient: number, lo: number, hi: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  const view = new DataView(copy.buffer);
  view.setUint32(SHARE_HEADER_BYTES + coefficient * 8, lo, true);
  view.setUint32(SHARE_HEADER_BYTES + coefficient * 8 + 4, hi, true);
  return copy;
}
