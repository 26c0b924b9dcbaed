import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bankMarketingDataAvailable } from '../examples/bank-marketing/bank-marketing-data.js';
import { bankMarketingVerticalJob } from '../examples/bank-marketing-vertical/bank-marketing-vertical-job.js';
import { trainVerticalPlaintext, type VerticalBatchTrace } from '../examples/bank-marketing-vertical/train-vertical-plaintext.js';
import { prepareVerticalData } from '../examples/bank-marketing-vertical/vertical-baselines.js';
import { verticalJobSpecSchema } from '../protocols/vertical/vertical-job-spec.js';
import { writeVerticalSlices, type VerticalSlices } from './support/vertical-bank-slices.js';
import { runVerticalInProcess } from './support/vertical-in-process.js';
import { scaledMs } from './support/time-scale.js';

// The encrypted path (threshold CKKS, coefficient-0 partial decryptions over real gRPC) against the
// same recipe in plaintext on the same rows, in the same PSI order, with the same batches.
describe.skipIf(!bankMarketingDataAvailable)('vertical logistic regression: encrypted gradients equal the plaintext recipe', () => {
  const job = verticalJobSpecSchema.parse(bankMarketingVerticalJob({ jobId: 'vertical-exactness', training: { epochs: 2, batchSize: 700 } }));
  let directory: string;
  let slices: VerticalSlices;
  const encrypted = new Map<string, Float64Array>();
  let result: Awaited<ReturnType<typeof runVerticalInProcess>>;
  const plaintext = new Map<string, Float64Array>();
  let plaintextAuc = Number.NaN;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'hefl-vertical-exact-'));
    slices = await writeVerticalSlices(directory, 2_500);
    result = await runVerticalInProcess({
      job,
      dataFiles: slices.files,
      workDirectory: join(directory, 'run'),
      psiWorkers: 1,
      onGradient: (party, epoch, batch, sums) => encrypted.set(`${party}/${epoch}/${batch}`, Float64Array.from(sums)),
    });
    const commonOrder = (await readFile(join(result.outputs.bank as string, 'common-order-ids.txt'), 'utf8')).trim().split('\n');
    const data = prepareVerticalData(slices.tables, job.training, (sortedIds) => {
      const position = new Map(sortedIds.map((id, index) => [id, index]));
      return Int32Array.from(commonOrder, (id) => position.get(id) as number);
    });
    const reference = trainVerticalPlaintext(data.parties, data.labels, job.training, {
      onBatch: (trace: VerticalBatchTrace) => trace.sums.forEach((sums, index) => plaintext.set(`${data.parties[index]?.id}/${trace.epoch}/${trace.batch}`, sums)),
    });
    plaintextAuc = reference.epochs.at(-1)?.validationAuc ?? Number.NaN;
  }, scaledMs(240_000));

  afterAll(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('finishes, every party decrypted a gradient for every batch', () => {
    expect(result.report.status).toBe('finished');
    for (const outcome of Object.values(result.outcomes)) expect(outcome).not.toBeInstanceOf(Error);
    expect(encrypted.size).toBe(plaintext.size);
    expect(encrypted.size).toBeGreaterThanOrEqual(3 * 2 * 2);
  });

  it('per batch and party, the decrypted sums equal the plaintext Taylor gradient sums within 1e-6 relative', () => {
    for (const [key, expected] of plaintext) {
      const actual = encrypted.get(key);
      expect(actual, key).toBeDefined();
      const scale = Math.max(...Array.from(expected, Math.abs));
      const error = Math.max(...Array.from(expected, (value, index) => Math.abs(value - (actual as Float64Array)[index]!)));
      expect(error / scale, key).toBeLessThan(1e-6);
    }
  });

  it('encryption costs no accuracy: the federated validation AUC is the plaintext recipe\'s within 0.002', () => {
    const federated = result.report.epochs.at(-1)?.validationAuc ?? Number.NaN;
    expect(Math.abs(federated - plaintextAuc)).toBeLessThan(0.002);
  });
});
