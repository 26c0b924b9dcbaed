import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildModel } from './build-model.js';
import { initialWeights } from './initial-weights.js';
import { initializeTfBackend } from './initialize-tf-backend.js';
import { saveModel } from './save-model.js';
import { setFlatWeights } from './unflatten-weights.js';

describe('saveModel', () => {
  let directory: string;
  beforeAll(async () => {
    await initializeTfBackend();
  });
  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'hefl-save-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('writes a standard tfjs model.json and weights.bin, creating the directory', async () => {
    const model = buildModel({ kind: 'sequential', hiddenLayers: [{ type: 'dense', units: 3, activation: 'relu' }] }, 4);
    const flat = initialWeights(model, 3);
    setFlatWeights(model, flat);
    const target = path.join(directory, 'nested', 'model');
    const before = tf.memory().numTensors;
    await saveModel(model, target);
    expect(tf.memory().numTensors).toBe(before);
    expect((await readdir(target)).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(await readFile(path.join(target, 'model.json'), 'utf8')) as {
      format: string;
      modelTopology: { class_name: string };
      weightsManifest: { paths: string[]; weights: { shape: number[] }[] }[];
    };
    expect(json.format).toBe('layers-model');
    expect(json.modelTopology.class_name).toBe('Sequential');
    expect(json.weightsManifest[0]?.paths).toEqual(['./weights.bin']);
    expect(json.weightsManifest[0]?.weights.map((weight) => weight.shape)).toEqual([[4, 3], [3], [3, 1], [1]]);
    const bytes = await readFile(path.join(target, 'weights.bin'));
    expect(new Float32Array(new Uint8Array(bytes).buffer)).toEqual(flat);
    model.dispose();
  });
});
