import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from './build-model.js';
import { flattenWeights } from './flatten-weights.js';
import { initializeTfBackend } from './initialize-tf-backend.js';

describe('flattenWeights', () => {
  beforeAll(async () => {
    await initializeTfBackend();
  });

  it('concatenates weights in getWeights() order and leaves the model intact', () => {
    const model = buildModel({ kind: 'logistic-regression' }, 2);
    const before = tf.memory().numTensors;
    tf.tidy(() => model.setWeights([tf.tensor2d([[1], [2]]), tf.tensor1d([3])]));
    const flat = flattenWeights(model);
    expect(Array.from(flat)).toEqual([1, 2, 3]);
    flat[0] = 99;
    // The vector is a copy, and reading did not dispose the variables.
    expect(Array.from(flattenWeights(model))).toEqual([1, 2, 3]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
