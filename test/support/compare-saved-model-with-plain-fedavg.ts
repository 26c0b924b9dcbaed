import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobSpec } from '../../protocols/job/job-spec.js';
import { flattenWeights } from '../../participant/model/flatten-weights.js';
import { initializeTfBackend } from '../../participant/model/initialize-tf-backend.js';
import { loadModel } from '../../participant/model/load-model.js';
import { replayPlainFederatedAveraging } from './replay-plain-federated-averaging.js';

/**
 * The final model a participant saved in `outputDirectory` against plain FedAvg of the same local
 * training on `csvFiles` (with the federation's own standardization, read from the saved bundle):
 * the largest absolute difference over all weights, and the weight count.
 */
export async function compareSavedModelWithPlainFedAvg(
  job: JobSpec,
  outputDirectory: string,
  csvFiles: readonly string[],
  contributed?: (round: number, index: number) => boolean,
): Promise<{ maxError: number; parameterCount: number }> {
  await initializeTfBackend();
  const model = await loadModel(join(outputDirectory, 'model'));
  const federated = flattenWeights(model);
  model.dispose();
  const preprocessing = JSON.parse(await readFile(join(outputDirectory, 'model', 'preprocessing.json'), 'utf8')) as { numericMeans: number[]; numericStds: number[] };
  const reference = await replayPlainFederatedAveraging(job, csvFiles, {
    means: Float64Array.from(preprocessing.numericMeans),
    stds: Float64Array.from(preprocessing.numericStds),
  }, contributed);
  if (reference.length !== federated.length) throw new Error(`the saved model has ${federated.length} weights, plain FedAvg ${reference.length}`);
  const maxError = reference.reduce((max, value, index) => Math.max(max, Math.abs((federated[index] as number) - value)), 0);
  return { maxError, parameterCount: federated.length };
}
