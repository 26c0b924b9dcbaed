import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../protocols/model/model-spec.js';
import { FIXTURE_MISSING, FIXTURE_ROWS_CSV, FIXTURE_ROWS_WITH_MISSING_CSV, writeFixtureBundle } from '../../test/support/model-bundle-fixture.js';
import { readModelBundle } from '../bundle/read-model-bundle.js';
import { scoreRows } from '../bundle/score-rows.js';
import { parseCsvText, type CsvTable } from '../data/read-csv-table.js';
import { initializeTfBackend } from '../model/initialize-tf-backend.js';
import { ONNX_OUTPUT } from './build-onnx-model.js';
import { exportBundleToOnnx, ONNX_FILE } from './export-onnx.js';
import type { Preprocessing } from '../bundle/preprocessing-file.js';

let directory: string;
beforeAll(async () => {
  await initializeTfBackend();
  directory = await mkdtemp(join(tmpdir(), 'hefl-onnx-'));
});
afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

/** The ONNX inputs for a table's rows: each column's cells as written (numbers parsed), [rows, 1]. */
function onnxFeeds(table: CsvTable, preprocessing: Preprocessing): Record<string, ort.Tensor> {
  const column = (name: string): string[] => table.rows.map((cells) => cells[table.header.indexOf(name)] as string);
  const rows = table.rows.length;
  const feeds: Record<string, ort.Tensor> = {};
  // A missing numeric cell goes in as NaN, as pandas reads it.
  const markers = new Set(preprocessing.features.missing?.markers ?? []);
  const number = (cell: string): number => (markers.has(cell.trim()) ? Number.NaN : Number(cell));
  for (const name of preprocessing.features.numeric) feeds[name] = new ort.Tensor('float64', Float64Array.from(column(name), number), [rows, 1]);
  for (const { name } of preprocessing.features.categorical) feeds[name] = new ort.Tensor('string', column(name), [rows, 1]);
  return feeds;
}

async function onnxScores(file: string, feeds: Record<string, ort.Tensor>): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(await readFile(file));
  try {
    const output = (await session.run(feeds))[ONNX_OUTPUT] as ort.Tensor;
    expect(output.dims).toEqual([feeds[session.inputNames[0] as string]?.dims[0], 1]);
    return output.data as Float32Array;
  } finally {
    await session.release();
  }
}

const models: [string, ModelSpec, (typeof FIXTURE_MISSING)?][] = [
  ['logistic regression', { kind: 'logistic-regression' }],
  [
    'dense network (relu, tanh, linear hidden layers)',
    {
      kind: 'sequential',
      hiddenLayers: [
        { type: 'dense', units: 8, activation: 'relu' },
        { type: 'dense', units: 5, activation: 'tanh' },
        { type: 'dense', units: 4, activation: 'linear' },
      ],
    },
  ],
  ['missing-value policies (fills, indicators, a (missing) slot), logistic regression', { kind: 'logistic-regression' }, FIXTURE_MISSING],
  ['missing-value policies, dense network', { kind: 'sequential', hiddenLayers: [{ type: 'dense', units: 6, activation: 'sigmoid' }] }, FIXTURE_MISSING],
];

describe('model.onnx (preprocessing inside the graph)', () => {
  it.each(models)('%s: scores the rows as `hefl predict` does, within 1e-5', async (name, spec, missing) => {
    const bundle = join(directory, name.replace(/\W+/g, '-'));
    const written = await writeFixtureBundle(spec, bundle, 7, missing);
    written.model.dispose();
    const table = parseCsvText(missing ? FIXTURE_ROWS_WITH_MISSING_CSV : FIXTURE_ROWS_CSV, 'rows.csv');
    const tensorsBefore = tf.memory().numTensors;
    const { model, preprocessing } = await readModelBundle(bundle);
    const tfjs = (() => {
      try {
        return scoreRows(model, preprocessing, table, 'customer_id').scores;
      } finally {
        model.dispose();
      }
    })();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    const onnx = await onnxScores(join(bundle, ONNX_FILE), onnxFeeds(table, preprocessing));
    const differences = Array.from(tfjs, (score, row) => Math.abs(score - (onnx[row] as number)));
    const maxDifference = Math.max(...differences);
    console.log(`${name}: max |tfjs - onnx| = ${maxDifference.toExponential(2)} over ${tfjs.length} rows; scores ${Array.from(tfjs, (score) => score.toFixed(4)).join(' ')}`);
    expect(maxDifference).toBeLessThan(1e-5);
    // Real, varied scores, not a degenerate model that outputs 0.5 everywhere.
    expect(new Set(Array.from(tfjs, (score) => score.toFixed(3))).size).toBeGreaterThan(3);
  });

  it('hefl export-onnx writes the same graph from an older bundle', async () => {
    const bundle = join(directory, 'logistic-regression');
    await exportBundleToOnnx(bundle, join(directory, 'again.onnx'));
    expect(await readFile(join(directory, 'again.onnx'))).toEqual(await readFile(join(bundle, ONNX_FILE)));
  });

  it('names one input per column (numeric double, categorical string) and gives all zeros to an unknown category', async () => {
    const bundle = join(directory, 'logistic-regression');
    const session = await ort.InferenceSession.create(await readFile(join(bundle, ONNX_FILE)));
    try {
      expect(session.inputNames).toEqual(['age', 'balance', 'flat', 'job', 'tier']);
      expect(session.outputNames).toEqual([ONNX_OUTPUT]);
      const { preprocessing } = await readModelBundle(bundle).then((loaded) => (loaded.model.dispose(), loaded));
      const row = (job: string, tier: string, flat: number): Record<string, ort.Tensor> => ({
        age: new ort.Tensor('float64', [preprocessing.numericMeans[0] as number], [1, 1]),
        balance: new ort.Tensor('float64', [preprocessing.numericMeans[1] as number], [1, 1]),
        flat: new ort.Tensor('float64', [flat], [1, 1]),
        job: new ort.Tensor('string', [job], [1, 1]),
        tier: new ort.Tensor('string', [tier], [1, 1]),
      });
      const score = async (feeds: Record<string, ort.Tensor>): Promise<number> => ((await session.run(feeds))[ONNX_OUTPUT] as ort.Tensor).data[0] as number;
      // Numerics at their means and unknown categories: every input is 0, so the score is sigmoid(bias).
      const atBias = await score(row('astronaut', '2.0', 7));
      // The constant column (std 0) is 0 whatever its value, as in encodeFeatures.
      expect(await score(row('astronaut', '2.0', 1e6))).toBe(atBias);
      expect(await score(row('student', '2', 7))).not.toBe(atBias);
    } finally {
      await session.release();
    }
  });
});
