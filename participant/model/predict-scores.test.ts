import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from './build-model.js';
import { initializeTfBackend } from './initialize-tf-backend.js';
import { predictScores } from './predict-scores.js';
import { setFlatWeights } from './unflatten-weights.js';

describe('predictScores', () => {
  beforeAll(async () => {
    await initializeTfBackend();
  });

  it('returns sigmoid(x·w + b) per row, the same whatever the batch size', () => {
    const model = buildModel({ kind: 'logistic-regression' }, 2);
    setFlatWeights(model, new Float32Array([1, -1, 0.5]));
    const features = new Float32Array([0, 0, 1, 0, 0, 1, 2, 2, -3, 1]);
    const before = tf.memory().numTensors;
    const scores = predictScores(model, features, 5, 2);
    const expected = [0.5, 1.5, -0.5, 0.5, -3.5].map((z) => 1 / (1 + Math.exp(-z)));
    scores.forEach((score, index) => expect(score).toBeCloseTo(expected[index] ?? Number.NaN, 6));
    expect(predictScores(model, features, 5, 2, 2)).toEqual(scores);
    expect(predictScores(model, features, 5, 2, 1)).toEqual(scores);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('rejects features of the wrong size without leaking', () => {
    const model = buildModel({ kind: 'logistic-regression' }, 2);
    const before = tf.memory().numTensors;
    expect(() => predictScores(model, new Float32Array(5), 3, 2)).toThrow(/features hold 5 values/);
    expect(() => predictScores(model, new Float32Array(4), 2, 2, 0)).toThrow(/batch size/);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
