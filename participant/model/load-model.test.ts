import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildModel } from './build-model.js';
import { flattenWeights } from './flatten-weights.js';
import { initialWeights } from './initial-weights.js';
import { initializeTfBackend } from './initialize-tf-backend.js';
import { loadModel } from './load-model.js';
import { predictScores } from './predict-scores.js';
import { saveModel } from './save-model.js';
import { separableDataset } from '../../protocols/model/testing/separable-dataset.js';
import { setFlatWeights } from './unflatten-weights.js';

describe('loadModel', () => {
  let directory: string;
  beforeAll(async () => {
    await initializeTfBackend();
  });
  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'hefl-load-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('round-trips a saved model: same weights, same predictions', async () => {
    const data = separableDataset(50, 5, 2);
    const model = buildModel(
      {
        kind: 'sequential',
        hiddenLayers: [
          { type: 'dense', units: 4, activation: 'tanh' },
          { type: 'dense', units: 3, activation: 'relu' },
        ],
      },
      data.width,
    );
    setFlatWeights(model, initialWeights(model, 21));
    const before = tf.memory().numTensors;
    await saveModel(model, directory);
    const loaded = await loadModel(directory);
    expect(flattenWeights(loaded)).toEqual(flattenWeights(model));
    expect(predictScores(loaded, data.features, data.rowCount, data.width)).toEqual(
      predictScores(model, data.features, data.rowCount, data.width),
    );
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('explains a directory without a model and refuses weight paths outside it', async () => {
    const before = tf.memory().numTensors;
    await expect(loadModel(path.join(directory, 'missing'))).rejects.toThrow(/ENOENT/);
    await writeFile(path.join(directory, 'model.json'), JSON.stringify({ hello: 'world' }));
    await expect(loadModel(directory)).rejects.toThrow(/not a tfjs layers model/);

    const model = buildModel({ kind: 'logistic-regression' }, 2);
    await saveModel(model, directory);
    const json = JSON.parse(await readFile(path.join(directory, 'model.json'), 'utf8')) as {
      weightsManifest: { paths: string[] }[];
    };
    const first = json.weightsManifest[0];
    if (first) first.paths = ['../secret.bin'];
    await writeFile(path.join(directory, 'model.json'), JSON.stringify(json));
    await expect(loadModel(directory)).rejects.toThrow(/outside the model directory/);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
