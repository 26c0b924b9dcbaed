import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../protocols/model/model-spec.js';
import { buildModel } from './build-model.js';
import { initialWeights } from './initial-weights.js';
import { initializeTfBackend } from './initialize-tf-backend.js';

const mlp: ModelSpec = {
  kind: 'sequential',
  hiddenLayers: [
    { type: 'dense', units: 16, activation: 'relu' },
    { type: 'dense', units: 8, activation: 'tanh' },
  ],
};

function sha256(values: Float32Array): string {
  return createHash('sha256').update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength)).digest('hex');
}

describe('initialWeights', () => {
  beforeAll(async () => {
    await initializeTfBackend();
  });

  it('gives identical bytes for the same seed and different ones for another seed', () => {
    const model = buildModel(mlp, 10);
    const before = tf.memory().numTensors;
    const first = initialWeights(model, 42);
    expect(sha256(initialWeights(model, 42))).toBe(sha256(first));
    expect(sha256(initialWeights(model, 43))).not.toBe(sha256(first));
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('is pinned to fixed bytes, so a change in the generator cannot slip through', () => {
    const model = buildModel({ kind: 'logistic-regression' }, 3);
    // Computed with the reference mulberry32(7) mapped to [-limit, limit), limit = sqrt(6 / (3 + 1)),
    // rounded to float32; the bias is zero.
    expect(Array.from(initialWeights(model, 7))).toEqual([-1.1960742473602295, -1.0729787349700928, 1.1681803464889526, 0]);
    model.dispose();
  });

  it('draws Glorot-uniform kernels within their limit and zero biases', () => {
    const model = buildModel(mlp, 10);
    const flat = initialWeights(model, 1);
    const kernel = flat.subarray(0, 160);
    const limit = Math.sqrt(6 / (10 + 16));
    expect(kernel.every((value) => Math.abs(value) <= limit)).toBe(true);
    expect(new Set(kernel).size).toBeGreaterThan(150);
    expect(flat.subarray(160, 176).every((value) => value === 0)).toBe(true);
    expect(flat.subarray(flat.length - 1)[0]).toBe(0);
    model.dispose();
  });
});
