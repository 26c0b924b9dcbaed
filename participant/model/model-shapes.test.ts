import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from './build-model.js';
import { initializeTfBackend } from './initialize-tf-backend.js';
import { modelShapes } from './model-shapes.js';

describe('modelShapes', () => {
  beforeAll(async () => {
    await initializeTfBackend();
  });

  it('lists shapes, sizes and the flat length in getWeights() order', () => {
    const before = tf.memory().numTensors;
    const model = buildModel({ kind: 'sequential', hiddenLayers: [{ type: 'dense', units: 3, activation: 'relu' }] }, 4);
    expect(modelShapes(model)).toEqual({ shapes: [[4, 3], [3], [3, 1], [1]], sizes: [12, 3, 3, 1], totalLength: 19 });
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
