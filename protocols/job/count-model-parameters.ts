import { featureWidth } from '../data/feature-width.js';
import { meanFilledColumns } from '../data/missing-values.js';
import { countStatisticsLimbs } from '../data/statistics-limbs.js';
import type { JobSpec } from './job-spec.js';

/**
 * Length of the flattened weight vector of the job's model (kernels and biases of every dense layer,
 * then the 1-unit sigmoid output), so the coordinator knows the update layout without tfjs.
 */
export function countModelParameters(job: Pick<JobSpec, 'model' | 'features'>): number {
  let inputs = featureWidth(job.features);
  let total = 0;
  const hidden = job.model.kind === 'sequential' ? job.model.hiddenLayers.map((layer) => layer.units) : [];
  for (const units of [...hidden, 1]) {
    total += inputs * units + units;
    inputs = units;
  }
  return total;
}

/**
 * Length of the round-0 statistics vector: per numeric column its sum, then per column its sum of
 * squares, then the present-cell count of each mean-filled column, then the row count, each as
 * fixed-point limbs (protocols/data/statistics-limbs.ts).
 */
export function countStatisticsValues(job: Pick<JobSpec, 'features'>): number {
  return countStatisticsLimbs(job.features.numeric.length, meanFilledColumns(job.features).length);
}
