import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PREPROCESSING_FILE } from '../../participant/write-model-bundle.js';
import { computeAuc } from '../../participant/data/compute-auc.js';
import { encodeFeatures } from '../../participant/data/encode-features.js';
import type { LocalDataset } from '../../participant/data/parse-dataset.js';
import type { FeatureSchema } from '../../protocols/job/job-spec.js';
import { loadModel } from '../../participant/model/load-model.js';
import { predictScores } from '../../participant/model/predict-scores.js';

/** Scores a saved model bundle (model.json + weights.bin + preprocessing.json) on a dataset. */
export async function evaluateModelBundle(directory: string, dataset: LocalDataset): Promise<{ auc: number; rows: number }> {
  const preprocessing = JSON.parse(await readFile(join(directory, PREPROCESSING_FILE), 'utf8')) as {
    features: FeatureSchema;
    numericMeans: number[];
    numericStds: number[];
  };
  const encoded = encodeFeatures(dataset, preprocessing.features, {
    means: Float64Array.from(preprocessing.numericMeans),
    stds: Float64Array.from(preprocessing.numericStds),
  });
  const model = await loadModel(directory);
  try {
    const scores = predictScores(model, encoded.features, encoded.rowCount, encoded.width);
    return { auc: computeAuc(scores, encoded.labels), rows: encoded.rowCount };
  } finally {
    model.dispose();
  }
}
