import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { RoundFailedError } from '../../protocols/errors.js';
import type { TrainingSettings } from '../../protocols/model/training-settings.js';
import { buildModel } from './build-model.js';
import { initialWeights } from './initial-weights.js';
import { initializeTfBackend } from './initialize-tf-backend.js';
import { separableDataset } from '../../protocols/model/testing/separable-dataset.js';
import { trainLocally } from './train-locally.js';

const settings: TrainingSettings = {
  rounds: 1,
  localEpochs: 3,
  batchSize: 32,
  learningRate: 0.1,
  optimizer: 'adam',
  seed: 42,
  clipNorm: 0,
};

describe('trainLocally', () => {
  beforeAll(async () => {
    await initializeTfBackend();
  });

  it('fits logistic regression on separable data to a low loss without leaking tensors', async () => {
    const data = separableDataset(1000, 6, 11);
    const model = buildModel({ kind: 'logistic-regression' }, data.width);
    const globalWeights = initialWeights(model, settings.seed);
    const before = tf.memory().numTensors;
    const result = await trainLocally({ model, globalWeights, ...data, settings, round: 0 });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.meanLoss).toBeLessThan(0.3);
    expect(result.sampleCount).toBe(1000);
    expect(result.weights).toHaveLength(7);
    expect(result.weights).not.toEqual(globalWeights);
    model.dispose();
  });

  it('returns identical weights for identical inputs and seeds, whatever the model held before', async () => {
    const data = separableDataset(300, 4, 5);
    const model = buildModel({ kind: 'sequential', hiddenLayers: [{ type: 'dense', units: 6, activation: 'relu' }] }, data.width);
    const globalWeights = initialWeights(model, 9);
    const before = tf.memory().numTensors;
    const first = await trainLocally({ model, globalWeights, ...data, settings, round: 2 });
    const second = await trainLocally({ model, globalWeights, ...data, settings, round: 2 });
    expect(tf.memory().numTensors).toBe(before);
    expect(second.weights).toEqual(first.weights);
    expect(second.meanLoss).toBe(first.meanLoss);
    // A different round shuffles differently, so it ends elsewhere.
    const otherRound = await trainLocally({ model, globalWeights, ...data, settings, round: 3 });
    expect(otherRound.weights).not.toEqual(first.weights);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('trains with plain SGD too', async () => {
    const data = separableDataset(400, 3, 8);
    const model = buildModel({ kind: 'logistic-regression' }, data.width);
    const before = tf.memory().numTensors;
    const result = await trainLocally({
      model,
      globalWeights: initialWeights(model, 1),
      ...data,
      settings: { ...settings, optimizer: 'sgd', learningRate: 1, localEpochs: 10 },
      round: 0,
    });
    expect(result.meanLoss).toBeLessThan(0.2);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('reports divergence as a RoundFailedError', async () => {
    const data = separableDataset(64, 2, 1);
    const model = buildModel({ kind: 'logistic-regression' }, data.width);
    const poisoned = new Float32Array(3).fill(Number.NaN);
    const before = tf.memory().numTensors;
    await expect(trainLocally({ model, globalWeights: poisoned, ...data, settings, round: 1 })).rejects.toBeInstanceOf(
      RoundFailedError,
    );
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('rejects features that do not match rowCount and width', async () => {
    const data = separableDataset(10, 2, 1);
    const model = buildModel({ kind: 'logistic-regression' }, 2);
    const globalWeights = initialWeights(model, 1);
    const before = tf.memory().numTensors;
    await expect(trainLocally({ model, globalWeights, ...data, rowCount: 11, settings, round: 0 })).rejects.toThrow(
      /features hold 20 values/,
    );
    await expect(trainLocally({ model, globalWeights, ...data, width: 3, settings, round: 0 })).rejects.toThrow(
      /model expects 2/,
    );
    await expect(
      trainLocally({ model, globalWeights, ...data, labels: new Float32Array(9), settings, round: 0 }),
    ).rejects.toThrow(/labels hold 9/);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('FedProx: mu = 0 is plain training exactly; mu > 0 keeps the weights nearer the global model', async () => {
    const data = separableDataset(300, 4, 7);
    const model = buildModel({ kind: 'sequential', hiddenLayers: [{ type: 'dense', units: 5, activation: 'relu' }] }, data.width);
    const globalWeights = initialWeights(model, 3);
    const before = tf.memory().numTensors;
    const plain = await trainLocally({ model, globalWeights, ...data, settings, round: 1 });
    const muZero = await trainLocally({ model, globalWeights, ...data, settings: { ...settings, fedProx: { mu: 0 } }, round: 1 });
    expect(muZero.weights).toEqual(plain.weights);
    expect(muZero.meanLoss).toBe(plain.meanLoss);
    const proximal = await trainLocally({ model, globalWeights, ...data, settings: { ...settings, fedProx: { mu: 5 } }, round: 1 });
    expect(tf.memory().numTensors).toBe(before);
    const distance = (weights: Float32Array) => Math.sqrt(weights.reduce((sum, value, index) => sum + (value - (globalWeights[index] as number)) ** 2, 0));
    expect(distance(proximal.weights)).toBeLessThan(0.5 * distance(plain.weights));
    expect(Number.isFinite(proximal.meanLoss)).toBe(true);
    model.dispose();
  });
});
