import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_STANDARDIZATION, writeFixtureBundle } from '../test/support/model-bundle-fixture.js';
import { initializeTfBackend } from './model/initialize-tf-backend.js';

let directory: string;
beforeAll(async () => {
  await initializeTfBackend();
  directory = await mkdtemp(join(tmpdir(), 'hefl-bundle-'));
});
afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe('writeModelBundle', () => {
  it('logistic regression: tfjs model, preprocessing, model.onnx and the coefficient table of its weights', async () => {
    const bundle = join(directory, 'logistic');
    const { model } = await writeFixtureBundle({ kind: 'logistic-regression' }, bundle);
    const [kernel, bias] = model.getWeights().map((tensor) => Array.from(tensor.dataSync()));
    model.dispose();
    expect((await readdir(bundle)).sort()).toEqual(['coefficients.csv', 'coefficients.md', 'model.json', 'model.onnx', 'preprocessing.json', 'weights.bin']);
    const csv = (await readFile(join(bundle, 'coefficients.csv'), 'utf8')).trimEnd().split('\n').map((line) => line.split(','));
    expect(csv[0]).toEqual(['feature', 'column', 'category', 'weight_standardized', 'weight_original_units', 'mean', 'std']);
    expect(Number(csv[1]?.[3])).toBeCloseTo(bias?.[0] as number, 6);
    // age: w / std in original units; the constant column "flat" (std 0) is 0 there.
    expect(csv[2]?.slice(0, 2)).toEqual(['age', 'age']);
    expect(Number(csv[2]?.[4])).toBeCloseTo((kernel?.[0] as number) / (FIXTURE_STANDARDIZATION.stds[0] as number), 6);
    expect(csv[4]?.[4]).toBe('0');
    expect(csv.slice(5).map((row) => row[0])).toEqual(['job=admin.', 'job=student', 'job=retired', 'tier=1', 'tier=2', 'tier=3']);
  });

  it('a dense network: no coefficient table, and no tensor left behind', async () => {
    const before = tf.memory().numTensors;
    const bundle = join(directory, 'dense');
    const { model } = await writeFixtureBundle({ kind: 'sequential', hiddenLayers: [{ type: 'dense', units: 3, activation: 'relu' }] }, bundle);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect((await readdir(bundle)).sort()).toEqual(['model.json', 'model.onnx', 'preprocessing.json', 'weights.bin']);
  });
});
