import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trainCentralizedBaseline } from '../examples/bank-marketing/train-centralized-baseline.js';
import { computeAuc } from '../participant/data/compute-auc.js';
import { encodeFeatures } from '../participant/data/encode-features.js';
import { parseDataset, type LocalDataset } from '../participant/data/parse-dataset.js';
import { parseCsvText } from '../participant/data/read-csv-table.js';
import type { Standardization } from '../participant/data/standardization-from-totals.js';
import { formatCsv } from '../participant/data/write-csv.js';
import { buildModel } from '../participant/model/build-model.js';
import { predictScores } from '../participant/model/predict-scores.js';
import { setFlatWeights } from '../participant/model/unflatten-weights.js';
import { jobSpecSchema, type JobSpec } from '../protocols/job/job-spec.js';
import { runInProcessFederation } from './support/in-process-federation.js';
import { createSeededRandom } from '../protocols/data/seeded-random.js';
import { scaledMs, scaledSeconds } from './support/time-scale.js';

// Issue #15: a credit-card dataset (credit limits and bill amounts up to 1e12) killed two of three
// nodes in round 0 under the default threshold custody. The same shape of data, end to end, with what
// real exports add: missing cells (empty, "NA"), category codes written as numbers ("2", "2.0") and
// labels written "1.0".

const HEADER = ['credit_limit', 'bill_amount', 'payment', 'age', 'education', 'default'];
const IDS = ['bank', 'card-issuer', 'lender'];


/**
 * Rows whose default risk falls with the credit limit and payment and rises with the bill and the
 * education code (a clear linear signal). About 10% of bills are missing (empty or "NA"), 5% of
 * payments and of education codes are empty.
 */
function syntheticRows(rows: number, seed: number): string[][] {
  const next = createSeededRandom(seed);
  return Array.from({ length: rows }, () => {
    const limit = 1e9 + next() * 9e11;
    const bill = 1e9 + next() * 9e11;
    const payment = next() * 5e10;
    const age = 21 + Math.floor(next() * 50);
    const education = 1 + Math.floor(next() * 4);
    const score = 3 * (bill / 1e12) - 3 * (limit / 1e12) - 2 * (payment / 5e10) + 0.4 * (education - 2.5) + 0.5 + (next() - 0.5) * 2;
    const missing = next();
    return [
      limit.toFixed(2),
      missing < 0.05 ? '' : missing < 0.1 ? 'NA' : bill.toFixed(2),
      missing > 0.95 ? '' : payment.toFixed(2),
      String(age),
      missing > 0.1 && missing < 0.15 ? '' : next() < 0.5 ? `${education}.0` : String(education),
      score > 0 ? (next() < 0.5 ? '1.0' : '1') : '0',
    ];
  });
}

function datasetOf(rows: string[][], job: JobSpec, source: string): LocalDataset {
  return parseDataset(parseCsvText(formatCsv(HEADER, rows), source), job.features);
}

function testAuc(job: JobSpec, weights: Float32Array, standardization: Standardization, test: LocalDataset): number {
  const encoded = encodeFeatures(test, job.features, standardization);
  const model = buildModel(job.model, encoded.width);
  try {
    setFlatWeights(model, weights);
    return computeAuc(predictScores(model, encoded.features, encoded.rowCount, encoded.width), encoded.labels);
  } finally {
    model.dispose();
  }
}

const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

describe('a federation on currency columns of 1e9–1e12 with missing cells and numeric codes under default threshold custody', () => {
  it('finishes, standardizes with the pooled impute-then-standardize mean and std (1e-6) and matches the centralized model within 0.005 AUC', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'hefl-large-values-'));
    directories.push(directory);
    const job = jobSpecSchema.parse({
      jobId: 'large-values',
      model: { kind: 'logistic-regression' },
      features: {
        numeric: HEADER.slice(0, 4),
        categorical: [{ name: 'education', categories: [1, 2, 3, 4] }],
        label: { column: 'default', positive: 1, negative: 0 },
        missing: {
          markers: ['', 'NA'],
          columns: { bill_amount: { fill: 'mean', indicator: true }, payment: { fill: 0 }, education: { fill: 'missing-category' } },
        },
      },
      training: { rounds: 4, localEpochs: 1, batchSize: 32, learningRate: 0.05, optimizer: 'adam', seed: 3 },
      federation: { participants: IDS, minParticipants: 3, roundDeadlineSeconds: scaledSeconds(60), joinDeadlineSeconds: scaledSeconds(60) },
    });
    expect(job.custody.mode).toBe('threshold');
    const slices = IDS.map((_, index) => syntheticRows(400, 11 + index));
    const files = await Promise.all(IDS.map(async (id, index) => {
      const file = join(directory, `${id}.csv`);
      await writeFile(file, formatCsv(HEADER, slices[index] as string[][]));
      return file;
    }));

    const result = await runInProcessFederation(job, IDS.map((participantId, index) => ({ participantId, dataCsv: files[index] as string })));
    directories.push(result.keysDirectory);
    expect(result.failures).toEqual({});
    expect(result.report.status).toBe('finished');

    const pooled = datasetOf(slices.flat(), job, 'pooled');
    const test = datasetOf(syntheticRows(2000, 99), job, 'test');
    const standardization = result.outcomes.bank?.standardization as Standardization;
    const pooledRows = slices.flat();
    expect(pooledRows.filter((row) => row[1] === '' || row[1] === 'NA').length).toBeGreaterThan(60);
    job.features.numeric.forEach((_, column) => {
      // Independently of the product's code: the filled column as a centralized pipeline builds it.
      const present = pooledRows.map((row) => row[column] as string).filter((cell) => cell !== '' && cell !== 'NA').map(Number);
      const presentMean = present.reduce((sum, value) => sum + value, 0) / present.length;
      const fill = column === 1 ? presentMean : 0;
      const values = pooledRows.map((row) => (row[column] === '' || row[column] === 'NA' ? fill : Number(row[column])));
      const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
      const std = Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length);
      expect(Math.abs((standardization.means[column] as number) - mean) / Math.abs(mean)).toBeLessThan(1e-6);
      expect(Math.abs((standardization.stds[column] as number) - std) / std).toBeLessThan(1e-6);
    });

    const federatedAuc = testAuc(job, result.outcomes.bank?.finalWeights as Float32Array, standardization, test);
    const { testAuc: centralizedAuc } = await trainCentralizedBaseline(job, pooled, test);
    expect(federatedAuc).toBeGreaterThan(0.8);
    expect(Math.abs(federatedAuc - centralizedAuc)).toBeLessThan(0.005);
  }, scaledMs(180_000));
});
