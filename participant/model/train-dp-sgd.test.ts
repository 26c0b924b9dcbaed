import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { separableDataset } from '../../protocols/model/testing/separable-dataset.js';
import { GridGaussianNoise, poissonSample } from '../../protocols/privacy/grid-gaussian-noise.js';
import { RandomWords, seededRandomSource } from '../../protocols/privacy/random-source.js';
import { computeEpsilon, RdpAccountant } from '../../protocols/privacy/rdp-accountant.js';
import { buildModel } from './build-model.js';
import { flattenWeights } from './flatten-weights.js';
import { initialWeights } from './initial-weights.js';
import { initializeTfBackend } from './initialize-tf-backend.js';
import { clipAndSum, perExampleGradients } from './per-example-gradients.js';
import { noisyGradient, trainDpSgd } from './train-dp-sgd.js';
import { setFlatWeights } from './unflatten-weights.js';

const MLP = { kind: 'sequential' as const, hiddenLayers: [{ type: 'dense' as const, units: 5, activation: 'relu' as const }, { type: 'dense' as const, units: 3, activation: 'tanh' as const }] };

/** Reference: tfjs autodiff of Σ_rows BCE(model(x), y), flattened in getWeights order. */
function autodiffGradient(model: tf.Sequential, features: Float32Array, labels: Float32Array, width: number, rows: ArrayLike<number>): Float64Array {
  const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
  const x = tf.tensor2d(Float32Array.from(Array.from(rows).flatMap((row) => Array.from(features.subarray(row * width, (row + 1) * width)))), [rows.length, width]);
  const y = tf.tensor2d(Float32Array.from(rows, (row) => labels[row] as number), [rows.length, 1]);
  const { value, grads } = tf.variableGrads(() => {
    const p = tf.clipByValue(model.apply(x) as tf.Tensor2D, 1e-7, 1 - 1e-7);
    return tf.neg(tf.sum(tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p)))))) as tf.Scalar;
  }, variables);
  const flat = new Float64Array(variables.reduce((sum, variable) => sum + variable.size, 0));
  let offset = 0;
  for (const variable of variables) {
    flat.set((grads[variable.name] as tf.Tensor).dataSync(), offset);
    offset += variable.size;
  }
  tf.dispose([x, y, value, ...Object.values(grads)]);
  return flat;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  for (let index = 0; index < actual.length; index += 1) expect(Math.abs((actual[index] as number) - (expected[index] as number))).toBeLessThan(tolerance * (1 + Math.abs(expected[index] as number)));
}

describe('DP-SGD', () => {
  beforeAll(async () => {
    await initializeTfBackend();
  });

  it.each([
    ['logistic regression', { kind: 'logistic-regression' as const }],
    ['a relu/tanh MLP', MLP],
  ])('computes per-example gradients of %s equal to tfjs autodiff, row by row', (_, spec) => {
    const data = separableDataset(40, 6, 3);
    const model = buildModel(spec, 6);
    setFlatWeights(model, initialWeights(model, 7));
    const before = tf.memory().numTensors;
    const rows = [0, 5, 9, 17, 39];
    const gradients = perExampleGradients(model, data.features, data.labels, 6, rows);
    expect(gradients.parameterCount).toBe(model.countParams());
    rows.forEach((row, i) => {
      const own = gradients.values.subarray(i * gradients.parameterCount, (i + 1) * gradients.parameterCount);
      expectClose(own, autodiffGradient(model, data.features, data.labels, 6, [row]), 1e-4);
    });
    if (spec.kind === 'logistic-regression') {
      // The closed form (p − y)·[x, 1].
      const weights = flattenWeights(model);
      const x = data.features.subarray(0, 6);
      const p = 1 / (1 + Math.exp(-(x.reduce((sum, value, j) => sum + value * (weights[j] as number), 0) + (weights[6] as number))));
      expectClose(gradients.values.subarray(0, 7), [...Array.from(x, (value) => (p - (data.labels[0] as number)) * value), p - (data.labels[0] as number)], 1e-5);
    }
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('clips every example to L2 norm ≤ C and leaves short ones alone', () => {
    const data = separableDataset(64, 6, 4);
    const model = buildModel(MLP, 6);
    setFlatWeights(model, initialWeights(model, 3).map((value) => value * 20));
    const gradients = perExampleGradients(model, data.features, data.labels, 6, Array.from({ length: 64 }, (_, row) => row));
    const clipNorm = 0.5;
    let clippedCount = 0;
    const total = new Float64Array(gradients.parameterCount);
    for (let i = 0; i < gradients.count; i += 1) {
      const values = gradients.values.slice(i * gradients.parameterCount, (i + 1) * gradients.parameterCount);
      const one = clipAndSum({ values, count: 1, parameterCount: gradients.parameterCount }, clipNorm);
      const original = Math.hypot(...values);
      expect(Math.hypot(...one)).toBeLessThanOrEqual(clipNorm * (1 + 1e-12));
      if (original > clipNorm) {
        clippedCount += 1;
        expect(Math.hypot(...one)).toBeCloseTo(clipNorm, 10);
      } else expectClose(one, values, 1e-12);
      one.forEach((value, j) => (total[j] = (total[j] as number) + value));
    }
    expect(clippedCount).toBeGreaterThan(5);
    expectClose(clipAndSum(gradients, clipNorm), total, 1e-9);
    model.dispose();
  });

  it('with σ = 0 and C = ∞ equals plain SGD on the same Poisson batches', () => {
    const data = separableDataset(200, 4, 9);
    const settings = { localEpochs: 1, batchSize: 50, learningRate: 0.3, optimizer: 'sgd' as const };
    const model = buildModel(MLP, 4);
    const start = initialWeights(model, 5);
    const before = tf.memory().numTensors;
    const result = trainDpSgd({ model, globalWeights: start, ...data, settings, privacy: { noiseMultiplier: 0, clipNorm: Infinity, delta: 1e-5 }, source: seededRandomSource('batches') });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.steps).toBe(4);
    expect(result.epsilon).toBe(Infinity);

    const reference = buildModel(MLP, 4);
    setFlatWeights(reference, start);
    const random = new RandomWords(seededRandomSource('batches'));
    let rowsUsed = 0;
    for (let step = 0; step < 4; step += 1) {
      const rows = poissonSample(200, 50 / 200, random);
      rowsUsed += rows.length;
      const gradient = autodiffGradient(reference, data.features, data.labels, 4, rows);
      // Divided by the expected batch size 50, not the actual |B|.
      setFlatWeights(reference, flattenWeights(reference).map((weight, index) => weight - (0.3 * (gradient[index] as number)) / 50));
    }
    expect(result.rowsUsed).toBe(rowsUsed);
    expectClose(result.weights, flattenWeights(reference), 1e-5);
    model.dispose();
    reference.dispose();
  });

  it('adds noise of std z·C to the clipped sum, divided by the expected batch size', () => {
    const noise = new GridGaussianNoise({ clipNorm: 0.7, noiseMultiplier: 1.3, dimension: 61 });
    const clean = Float64Array.from({ length: 61 }, (_, index) => (index % 7) * 0.01);
    let squares = 0;
    let count = 0;
    for (let trial = 0; trial < 2000; trial += 1) {
      const noisy = noisyGradient(clean, noise, 10);
      noisy.forEach((value, index) => {
        squares += (value * 10 - (clean[index] as number)) ** 2;
        count += 1;
      });
    }
    // 122,000 values: the sample variance's standard error is 0.4%.
    expect(Math.abs(squares / count / (1.3 * 0.7) ** 2 - 1)).toBeLessThan(0.02);
  });

  it('returns the accountant\'s ε for the run (steps = ⌈epochs/q⌉), records it, learns, and leaks no tensors', () => {
    const data = separableDataset(1000, 5, 21);
    const model = buildModel({ kind: 'logistic-regression' }, 5);
    const start = initialWeights(model, 1);
    const settings = { localEpochs: 3, batchSize: 100, learningRate: 0.1, optimizer: 'adam' as const };
    const accountant = new RdpAccountant();
    const before = tf.memory().numTensors;
    // Seeded so the utility check below is deterministic; production draws from node:crypto.
    const result = trainDpSgd({ model, globalWeights: start, ...data, settings, privacy: { noiseMultiplier: 1, clipNorm: 1, delta: 1e-5 }, accountant, source: seededRandomSource('utility') });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.steps).toBe(30);
    expect(result.sampleRate).toBe(0.1);
    expect(result.epsilon).toBe(computeEpsilon({ noiseMultiplier: 1, sampleRate: 0.1, steps: 30, delta: 1e-5 }));
    expect(accountant.getEpsilon(1e-5)).toBe(result.epsilon);
    expect(result.rowsUsed).toBeGreaterThan(2500);
    expect(result.rowsUsed).toBeLessThan(3500);
    // Noisy but still learning: most of the separable rows on the right side.
    const x = tf.tensor2d(data.features, [1000, 5]);
    setFlatWeights(model, result.weights);
    const scores = tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
    x.dispose();
    const correct = data.labels.reduce((sum, label, row) => sum + (((scores[row] as number) > 0.5 ? 1 : 0) === label ? 1 : 0), 0);
    expect(correct).toBeGreaterThan(850);
    model.dispose();
  });

  it('refuses settings without a privacy meaning', () => {
    const data = separableDataset(20, 2, 1);
    const model = buildModel({ kind: 'logistic-regression' }, 2);
    const base = { model, globalWeights: initialWeights(model, 1), ...data, settings: { localEpochs: 1, batchSize: 5, learningRate: 0.1, optimizer: 'sgd' as const } };
    expect(() => trainDpSgd({ ...base, privacy: { noiseMultiplier: 1, clipNorm: Infinity, delta: 1e-5 } })).toThrow(/infinite clipping norm/);
    expect(() => trainDpSgd({ ...base, privacy: { noiseMultiplier: 1, clipNorm: 1, delta: 0 } })).toThrow(/delta/);
    expect(() => trainDpSgd({ ...base, settings: { ...base.settings, batchSize: 50 }, privacy: { noiseMultiplier: 1, clipNorm: 1, delta: 1e-5 } })).toThrow(/exceeds/);
    model.dispose();
  });
});
