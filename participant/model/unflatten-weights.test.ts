import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from './build-model.js';
import { flattenWeights } from './flatten-weights.js';
import { initializeTfBackend } from './initialize-tf-backend.js';
import { setFlatWeights } from './unflatten-weights.js';

describe('setFlatWeights', () => {
  beforeAll(async () => {
    await initializeTfBackend();
  });

  it('writes a flat vector back and round-trips through flattenWeights', () => {
    const model = buildModel({ kind: 'sequential', hiddenLayers: [{ type: 'dense', units: 2, activation: 'tanh' }] }, 3);
    const before = tf.memory().numTensors;
    const flat = Float32Array.from({ length: 11 }, (_, index) => index * 0.5 - 2);
    setFlatWeights(model, flat);
    expect(flattenWeights(model)).toEqual(flat);
    expect(Array.from(model.getWeights()[1]?.dataSync() ?? [])).toEqual([1, 1.5]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('copies the input so later writes to it do not reach the model', () => {
    const model = buildModel({ kind: 'logistic-regression' }, 2);
    const flat = new Float32Array([1, 2, 3]);
    setFlatWeights(model, flat);
    flat.fill(0);
    expect(Array.from(flattenWeights(model))).toEqual([1, 2, 3]);
    model.dispose();
  });

  it('names expected and actual lengths when they differ', () => {
    const model = buildModel({ kind: 'logistic-regression' }, 2);
    const before = tf.memory().numTensors;
    expect(() => setFlatWeights(model, new Float32Array(4))).toThrow('flat weight vector has 4 values; this model expects 3');
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
