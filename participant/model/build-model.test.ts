import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from './build-model.js';
import { initializeTfBackend } from './initialize-tf-backend.js';

describe('buildModel', () => {
  beforeAll(async () => {
    await initializeTfBackend();
  });

  it('builds logistic regression as one sigmoid unit', () => {
    const before = tf.memory().numTensors;
    const model = buildModel({ kind: 'logistic-regression' }, 5);
    expect(model.layers).toHaveLength(1);
    expect(model.weights.map((weight) => weight.shape)).toEqual([[5, 1], [1]]);
    expect(model.outputs[0]?.shape).toEqual([null, 1]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('builds hidden dense layers followed by a sigmoid output', () => {
    const before = tf.memory().numTensors;
    const model = buildModel(
      {
        kind: 'sequential',
        hiddenLayers: [
          { type: 'dense', units: 8, activation: 'relu' },
          { type: 'dense', units: 4, activation: 'tanh' },
        ],
      },
      3,
    );
    expect(model.weights.map((weight) => weight.shape)).toEqual([[3, 8], [8], [8, 4], [4], [4, 1], [1]]);
    const activations = model.layers.map((layer) => (layer.getConfig() as { activation?: string }).activation);
    expect(activations).toEqual(['relu', 'tanh', 'sigmoid']);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a non-positive input width', () => {
    expect(() => buildModel({ kind: 'logistic-regression' }, 0)).toThrow(/input width/);
  });
});
