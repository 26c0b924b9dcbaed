import { computeAuc } from '../../participant/data/compute-auc.js';
import { computeFeatureStatistics } from '../../participant/data/compute-feature-statistics.js';
import { encodeFeatures } from '../../participant/data/encode-features.js';
import type { LocalDataset } from '../../participant/data/parse-dataset.js';
import { standardizationFromTotals } from '../../participant/data/standardization-from-totals.js';
import type { JobSpec } from '../../protocols/job/job-spec.js';
import { buildModel } from '../../participant/model/build-model.js';
import { initialWeights } from '../../participant/model/initial-weights.js';
import { predictScores } from '../../participant/model/predict-scores.js';
import { trainLocally } from '../../participant/model/train-locally.js';
import { setFlatWeights } from '../../participant/model/unflatten-weights.js';

/**
 * The comparison a bank asks for: the same model, the same training code and the same number of
 * passes over the data, but on all institutions' rows pooled in one place (what HEFL avoids).
 * It is exactly FedAvg with a single participant holding everything.
 */
export async function trainCentralizedBaseline(job: JobSpec, pooled: LocalDataset, test: LocalDataset): Promise<{ testAuc: number; seconds: number }> {
  const started = performance.now();
  const standardization = standardizationFromTotals(computeFeatureStatistics(pooled, job.features), job.features);
  const train = encodeFeatures(pooled, job.features, standardization);
  const evaluation = encodeFeatures(test, job.features, standardization);
  const model = buildModel(job.model, train.width);
  try {
    let weights = initialWeights(model, job.training.seed);
    for (let round = 1; round <= job.training.rounds; round += 1) {
      const result = await trainLocally({ model, globalWeights: weights, ...train, settings: job.training, round });
      weights = result.weights;
    }
    setFlatWeights(model, weights);
    const scores = predictScores(model, evaluation.features, evaluation.rowCount, evaluation.width);
    return { testAuc: computeAuc(scores, evaluation.labels), seconds: (performance.now() - started) / 1000 };
  } finally {
    model.dispose();
  }
}
