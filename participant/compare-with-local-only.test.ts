import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { federatedAveraging } from '../protocols/aggregation/federated-averaging.js';
import { jobSpecSchema } from '../protocols/job/job-spec.js';
import { separableDataset } from '../protocols/model/testing/separable-dataset.js';
import { compareWithLocalOnly } from './compare-with-local-only.js';
import type { EncodedFeatures } from './data/encode-features.js';
import { buildModel } from './model/build-model.js';
import { initializeTfBackend } from './model/initialize-tf-backend.js';

const WIDTH = 4;
const job = jobSpecSchema.parse({
  jobId: 'gain-unit',
  model: { kind: 'logistic-regression' },
  features: { numeric: ['a', 'b', 'c', 'd'], categorical: [], label: { column: 'y', positive: 'yes', negative: 'no' } },
  training: { rounds: 3, localEpochs: 2, batchSize: 32, learningRate: 0.05, optimizer: 'adam', seed: 5 },
  federation: { participants: ['bank', 'shop'], minParticipants: 2 },
});

/** Rows [from, to) of a separable dataset, as encoded features. */
function rows(data: EncodedFeatures, from: number, to: number): EncodedFeatures {
  return { features: data.features.slice(from * WIDTH, to * WIDTH), labels: data.labels.slice(from, to), rowCount: to - from, width: WIDTH };
}

describe('compareWithLocalOnly', () => {
  beforeAll(async () => {
    await initializeTfBackend();
  });

  it('trains the local-only model with the federation\'s code, scores both models on the evaluation rows, and leaks no tensor', async () => {
    const data = separableDataset(600, WIDTH, 11);
    const train = rows(data, 0, 400);
    const evaluation = rows(data, 400, 600);
    const model = buildModel(job.model, WIDTH);
    // A "federated" model that knows nothing: all-zero weights score every row 0.5 (AUC 0.5, loss ln 2).
    const federatedWeights = new Float32Array(WIDTH + 1);
    const before = tf.memory().numTensors;
    const input = { job, participantId: 'bank', model, federatedWeights, train, evaluation, strategy: federatedAveraging };
    const gain = await compareWithLocalOnly(input);
    expect(tf.memory().numTensors).toBe(before);

    expect(gain).toMatchObject({ format: 'hefl-partner-gain/1', jobId: 'gain-unit', participantId: 'bank', trainingRows: 400, evaluationRows: 200 });
    expect(gain.localOnly.rounds).toBe(3);
    expect(gain.localOnly.epochs).toBe(6); // rounds x local epochs
    expect(Number.isFinite(gain.localOnly.auc)).toBe(true);
    expect(gain.localOnly.auc).toBeGreaterThan(0.9);
    expect(Number.isFinite(gain.localOnly.loss)).toBe(true);
    expect(Number.isFinite(gain.localOnly.lastTrainingLoss)).toBe(true);
    expect(gain.federated.auc).toBe(0.5);
    expect(gain.federated.loss).toBeCloseTo(Math.log(2), 5);
    expect(gain.gain.auc).toBeCloseTo(0.5 - (gain.localOnly.auc as number), 12);
    expect(gain.gain.loss).toBeCloseTo(gain.localOnly.loss - gain.federated.loss, 12);
    expect(gain.method).toMatch(/federated standardization/);

    // Seeded row order and initial weights: the same inputs give the same local-only model.
    const again = await compareWithLocalOnly(input);
    expect(again.localOnly).toEqual(gain.localOnly);
    model.dispose();
  });

  it('reports a null AUC (not NaN) when the evaluation rows hold one class only', async () => {
    const data = separableDataset(300, WIDTH, 3);
    const positives = Array.from(data.labels.keys()).filter((row) => data.labels[row] === 1).slice(0, 20);
    const evaluation: EncodedFeatures = {
      features: Float32Array.from(positives.flatMap((row) => Array.from(data.features.subarray(row * WIDTH, (row + 1) * WIDTH)))),
      labels: new Float32Array(positives.length).fill(1),
      rowCount: positives.length,
      width: WIDTH,
    };
    const model = buildModel(job.model, WIDTH);
    const gain = await compareWithLocalOnly({ job, participantId: 'shop', model, federatedWeights: new Float32Array(WIDTH + 1), train: rows(data, 0, 300), evaluation, strategy: federatedAveraging });
    expect(gain.localOnly.auc).toBeNull();
    expect(gain.federated.auc).toBeNull();
    expect(gain.gain.auc).toBeNull();
    expect(Number.isFinite(gain.gain.loss)).toBe(true);
    model.dispose();
  });
});
