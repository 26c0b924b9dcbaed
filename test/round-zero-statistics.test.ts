import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeFeatureStatistics } from '../participant/data/compute-feature-statistics.js';
import type { LocalDataset } from '../participant/data/parse-dataset.js';
import { standardizationFromTotals } from '../participant/data/standardization-from-totals.js';
import { SINGLE_KEY_DEFAULT_CKKS, type CkksParameters } from '../protocols/ckks/ckks-parameters.js';
import { CkksSession } from '../protocols/ckks/ckks-session.js';
import { combinePublicShares } from '../protocols/ckks/threshold/collective-public-key.js';
import { combineDecryptionShares } from '../protocols/ckks/threshold/combine-decryption-shares.js';
import { createSeedContribution, deriveCommonSeed } from '../protocols/ckks/threshold/common-seed.js';
import { createDecryptionShare } from '../protocols/ckks/threshold/decryption-share.js';
import { createKeyShare, type KeyShare } from '../protocols/ckks/threshold/key-share.js';
import { ThresholdCkksContext } from '../protocols/ckks/threshold/threshold-context.js';
import { DEFAULT_SMUDGING_SIGMA_BITS, DEFAULT_THRESHOLD_CKKS } from '../protocols/ckks/threshold/threshold-parameters.js';
import type { FeatureSchema } from '../protocols/data/feature-schema.js';
import { decodeStatisticsLimbs, encodeStatisticsLimbs } from '../protocols/data/statistics-limbs.js';
import { CiphertextError } from '../protocols/errors.js';
import { scaledMs } from './support/time-scale.js';

// Issue #15: currency columns of 1e9–1e12 over ~1e6 rows per node made round-0 sums of squares of
// ~2^70 per node, far beyond the 2^48 a threshold chunk decodes. The limbs keep every encrypted value
// below 2^19 per node; these tests run the real SEAL path (encode, encrypt, add, decrypt) on them.

const ROWS_PER_NODE = 1_000_000;
const schema: FeatureSchema = {
  numeric: ['credit_limit', 'bill_amount', 'balance_delta', 'offset_ids', 'small_ratio'],
  categorical: [],
  label: { column: 'y', positive: '1', negative: '0' },
  ignored: [],
};
const COLUMNS = schema.numeric.length;

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** One node's rows: magnitudes 1e9–1e12, a signed column, a large offset, and a column of ~1e-3. */
function nodeDataset(node: number, rows: number): LocalDataset {
  const next = random(1000 + node);
  const columns = Array.from({ length: COLUMNS }, () => new Float64Array(rows));
  for (let row = 0; row < rows; row += 1) {
    (columns[0] as Float64Array)[row] = Math.round(1e9 * (0.1 + next() * (1 + node / 10)));
    (columns[1] as Float64Array)[row] = 1e12 * (0.5 + next()) ** 3;
    (columns[2] as Float64Array)[row] = 2e12 * (next() - 0.45);
    (columns[3] as Float64Array)[row] = 1e11 + 1e9 * next();
    (columns[4] as Float64Array)[row] = 1e-3 * next();
  }
  return { source: `node-${node}.csv`, numeric: columns, categoricalIndex: [], labels: new Uint8Array(rows), rowCount: rows };
}

/** Pooled mean and population std in float64, two passes over every row (the reference). */
function pooledReference(datasets: LocalDataset[]): { means: number[]; stds: number[] } {
  const count = datasets.reduce((sum, dataset) => sum + dataset.rowCount, 0);
  const means = schema.numeric.map((_, column) => datasets.reduce((sum, dataset) => sum + (dataset.numeric[column] as Float64Array).reduce((a, b) => a + b, 0), 0) / count);
  const stds = schema.numeric.map((_, column) => {
    const mean = means[column] as number;
    const squares = datasets.reduce((sum, dataset) => sum + (dataset.numeric[column] as Float64Array).reduce((a, value) => a + (value - mean) ** 2, 0), 0);
    return Math.sqrt(squares / count);
  });
  return { means, stds };
}

function expectWithinRelative(actual: ArrayLike<number>, expected: readonly number[], tolerance: number): void {
  expected.forEach((value, index) => {
    const relative = Math.abs((actual[index] as number) - value) / Math.abs(value);
    expect(relative, `column ${schema.numeric[index]}: ${actual[index]} vs ${value}`).toBeLessThan(tolerance);
  });
}

/** Encrypts every node's vector with `encryptor` and adds the ciphertexts, chunk by chunk. */
function encryptAndSum(session: CkksSession, vectors: Float64Array[]): Uint8Array[] {
  const encrypted = vectors.map((vector) => session.encryptVector(vector));
  return (encrypted[0] as Uint8Array[]).map((first, chunk) => {
    const accumulator = session.loadCiphertext(first, `chunk ${chunk}`);
    for (const other of encrypted.slice(1)) {
      const addend = session.loadCiphertext(other[chunk] as Uint8Array, `chunk ${chunk}`);
      session.addInPlace(accumulator, addend);
      session.release(addend);
    }
    const bytes = session.serializeCiphertext(accumulator);
    session.release(accumulator);
    return bytes;
  });
}

/** A collective key of `parties` key shares (as the threshold tests set one up) and a function decrypting with all of them. */
async function thresholdFederation(context: ThresholdCkksContext, parties: number): Promise<{ publicKey: Uint8Array; decrypt: (aggregate: Uint8Array[], length: number) => Promise<Float64Array> }> {
  const jobId = `round-zero-${parties}`;
  const ids = Array.from({ length: parties }, (_, index) => `node-${index}`);
  const commonSeed = deriveCommonSeed(jobId, ids.map((participantId) => ({ participantId, seed: createSeedContribution({ jobId, participantId }).seed })));
  const keys: KeyShare[] = [];
  for (let party = 0; party < parties; party += 1) keys.push(await createKeyShare(context, commonSeed));
  const publicKey = await combinePublicShares(context, commonSeed, keys.map((key) => key.publicShare));
  const decrypt = async (aggregate: Uint8Array[], length: number): Promise<Float64Array> => {
    const shares: Uint8Array[][] = [];
    for (const key of keys) shares.push(await createDecryptionShare(context, key.secretShare, aggregate, { smudgingSigmaBits: DEFAULT_SMUDGING_SIGMA_BITS }));
    return combineDecryptionShares(context, aggregate, shares, length, { expectedParties: parties });
  };
  return { publicKey, decrypt };
}

describe('round-0 statistics of columns of 1e9–1e12 over 1e6 rows per node, through real SEAL', () => {
  const datasets = Array.from({ length: 10 }, (_, node) => nodeDataset(node, ROWS_PER_NODE));
  const statistics = datasets.map((dataset) => computeFeatureStatistics(dataset, schema));
  const vectors = statistics.map((values) => encodeStatisticsLimbs(values, COLUMNS));
  let context: ThresholdCkksContext;

  beforeAll(async () => {
    context = await ThresholdCkksContext.create(DEFAULT_THRESHOLD_CKKS);
  });
  afterAll(() => context.dispose());

  it('the raw statistics are what SEAL refused before: a CiphertextError saying what to change, never [object WebAssembly.Exception]', async () => {
    const { publicKey } = await thresholdFederation(context, 3);
    const session = await CkksSession.create(DEFAULT_THRESHOLD_CKKS, { publicKey });
    try {
      const attempt = (): unknown => session.encryptVector(statistics[0] as Float64Array);
      expect(attempt).toThrow(CiphertextError);
      expect(attempt).toThrow(/encoding values 0 to 10 \(largest magnitude .*\) failed in SEAL: std::invalid_argument: encoded values are too large; .*coeffModulusBits/);
      expect(attempt).not.toThrow(/object WebAssembly/);
    } finally {
      session.dispose();
    }
  }, scaledMs(60_000));

  for (const parties of [3, 10]) {
    it(`threshold custody, ${parties} nodes: mean and std within 1e-6 relative of the pooled float64 ones`, async () => {
      const { publicKey, decrypt } = await thresholdFederation(context, parties);
      const session = await CkksSession.create(DEFAULT_THRESHOLD_CKKS, { publicKey });
      try {
        const length = (vectors[0] as Float64Array).length;
        const decoded = await decrypt(encryptAndSum(session, vectors.slice(0, parties)), length);
        const totals = decodeStatisticsLimbs(decoded, COLUMNS, parties);
        expect(totals[2 * COLUMNS]).toBe(parties * ROWS_PER_NODE);
        const { means, stds } = standardizationFromTotals(totals, schema);
        const reference = pooledReference(datasets.slice(0, parties));
        expectWithinRelative(means, reference.means, 1e-6);
        expectWithinRelative(stds, reference.stds, 1e-6);
      } finally {
        session.dispose();
      }
    }, scaledMs(120_000));
  }

  it('single-key custody, 3 nodes: mean and std within 1e-6 relative of the pooled float64 ones', async () => {
    const parameters: CkksParameters = { ...SINGLE_KEY_DEFAULT_CKKS, coeffModulusBits: [...SINGLE_KEY_DEFAULT_CKKS.coeffModulusBits] };
    const keyMaker = await CkksSession.create(parameters);
    const keys = keyMaker.generateKeyPair();
    keyMaker.dispose();
    const session = await CkksSession.create(parameters, keys);
    try {
      const decoded = session.decryptVector(encryptAndSum(session, vectors.slice(0, 3)), (vectors[0] as Float64Array).length);
      const { means, stds } = standardizationFromTotals(decodeStatisticsLimbs(decoded, COLUMNS, 3), schema);
      const reference = pooledReference(datasets.slice(0, 3));
      expectWithinRelative(means, reference.means, 1e-6);
      expectWithinRelative(stds, reference.stds, 1e-6);
    } finally {
      session.dispose();
    }
  }, scaledMs(60_000));

  it('a decrypted sum beyond what the parameters decode (each node in range, the total not) is diagnosed as such', async () => {
    const { publicKey, decrypt } = await thresholdFederation(context, 10);
    const session = await CkksSession.create(DEFAULT_THRESHOLD_CKKS, { publicKey });
    try {
      // Each node puts 2^47 in one slot (encodes fine); ten of them sum past the data modulus and wrap.
      const oversized = vectors.map((vector) => Float64Array.from(vector, (value, index) => (index === vector.length - 1 ? 2 ** 47 : value)));
      const decoded = await decrypt(encryptAndSum(session, oversized), (vectors[0] as Float64Array).length);
      expect(() => decodeStatisticsLimbs(decoded, COLUMNS, 10)).toThrow(/out of range.*exceeds what the job's CKKS parameters decode \(a wrapped decryption\)/);
      expect(() => decodeStatisticsLimbs(decoded, COLUMNS, 10)).not.toThrow(/row count/);
    } finally {
      session.dispose();
    }
  }, scaledMs(120_000));
});
