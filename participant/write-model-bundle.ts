import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { featureNames } from '../protocols/data/feature-names.js';
import type { Standardization } from './data/standardization-from-totals.js';
import type { JobSpec } from '../protocols/job/job-spec.js';
import { logisticCoefficients } from './bundle/logistic-coefficients.js';
import { PREPROCESSING_FILE, type Preprocessing } from './bundle/preprocessing-file.js';
import { coefficientsCsv, coefficientsMarkdown } from './bundle/render-coefficients.js';
import { saveModel } from './model/save-model.js';
import { denseLayersOf } from './onnx/dense-layers-of.js';
import { exportOnnx, ONNX_FILE } from './onnx/export-onnx.js';

export { PREPROCESSING_FILE } from './bundle/preprocessing-file.js';
export const COEFFICIENTS_FILES = ['coefficients.md', 'coefficients.csv'] as const;

/**
 * The trained model in tfjs format plus what is needed to feed it new rows the same way
 * (preprocessing.json), the same as one ONNX graph with the preprocessing inside (model.onnx), and
 * for logistic regression its coefficient table. The coordinator, which writes the model card,
 * never sees the weights in the clear, so the coefficients live here. Returns the files written.
 */
export async function writeModelBundle(model: tf.LayersModel, job: JobSpec, standardization: Standardization, directory: string): Promise<string[]> {
  await saveModel(model, directory);
  const preprocessing: Preprocessing = {
    format: 'hefl-preprocessing/1',
    jobId: job.jobId,
    features: job.features,
    featureNames: featureNames(job.features),
    // Federated standardization: means and standard deviations over all participants' rows.
    numericMeans: Array.from(standardization.means),
    numericStds: Array.from(standardization.stds),
  };
  const files: [string, string | Uint8Array][] = [
    [PREPROCESSING_FILE, `${JSON.stringify(preprocessing, null, 2)}\n`],
    [ONNX_FILE, exportOnnx(model, preprocessing)],
  ];
  if (job.model.kind === 'logistic-regression') {
    const [layer] = denseLayersOf(model);
    const table = logisticCoefficients(layer?.kernel ?? [], layer?.bias[0] ?? 0, preprocessing);
    files.push([COEFFICIENTS_FILES[0], coefficientsMarkdown(table)], [COEFFICIENTS_FILES[1], coefficientsCsv(table)]);
  }
  for (const [name, contents] of files) await writeFile(join(directory, name), contents);
  return ['model.json', 'weights.bin', ...files.map(([name]) => name)].map((name) => join(directory, name));
}
