import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../model/build-model.js';
import { initializeTfBackend } from '../model/initialize-tf-backend.js';
import { denseLayersOf } from './dense-layers-of.js';

beforeAll(async () => {
  await initializeTfBackend();
});

describe('denseLayersOf', () => {
  it('reads kernel (inputs x units), bias and activation of each layer built by buildModel', () => {
    const model = buildModel({ kind: 'sequential', hiddenLayers: [{ type: 'dense', units: 2, activation: 'tanh' }] }, 3);
    try {
      model.setWeights([tf.tensor2d([[1, 2], [3, 4], [5, 6]]), tf.tensor1d([0.5, -0.5]), tf.tensor2d([[7], [8]]), tf.tensor1d([9])]);
      const before = tf.memory().numTensors;
      const layers = denseLayersOf(model);
      expect(tf.memory().numTensors).toBe(before);
      expect(layers.map(({ inputs, units, activation }) => ({ inputs, units, activation }))).toEqual([
        { inputs: 3, units: 2, activation: 'tanh' },
        { inputs: 2, units: 1, activation: 'sigmoid' },
      ]);
      expect(Array.from(layers[0]?.kernel ?? [])).toEqual([1, 2, 3, 4, 5, 6]);
      expect(Array.from(layers[1]?.bias ?? [])).toEqual([9]);
    } finally {
      model.dispose();
    }
  });

  it('refuses a model it would export wrong', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2], activation: 'softplus' })] });
    try {
      expect(() => denseLayersOf(model)).toThrow(/not a dense layer HEFL can export/);
    } finally {
      model.dispose();
    }
  });
});
