import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { featureNames } from '../protocols/data/feature-names.js';
import type { Standardization } from './data/standardization-from-totals.js';
import type { JobSpec } from '../protocols/job/job-spec.js';
import { saveModel } from './model/save-model.js';

export const PREPROCESSING_FILE = 'preprocessing.json';

/** The trained model in tfjs format plus what is needed to feed it new rows the same way. */
export async function writeModelBundle(model: tf.LayersModel, job: JobSpec, standardization: Standardization, directory: string): Promise<void> {
  await saveModel(model, directory);
  const preprocessing = {
    format: 'hefl-preprocessing/1',
    jobId: job.jobId,
    features: job.features,
    featureNames: featureNames(job.features),
    // Federated standardization: means and standard deviations over all participants' rows.
    numericMeans: Array.from(standardization.means),
    numericStds: Array.from(standardization.stds),
  };
  await writeFile(join(directory, PREPROCESSING_FILE), `${JSON.stringify(preprocessing, null, 2)}\n`);
}
