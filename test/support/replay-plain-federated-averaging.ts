import { federatedAverageReference } from '../../protocols/aggregation/federated-average-reference.js';
import { serverOptimizerStep, type ServerOptimizerState } from '../../protocols/aggregation/server-optimizer.js';
import { computeFeatureStatistics } from '../../participant/data/compute-feature-statistics.js';
import { encodeFeatures } from '../../participant/data/encode-features.js';
import { parseDataset } from '../../participant/data/parse-dataset.js';
import { readCsvTable } from '../../participant/data/read-csv-table.js';
import { standardizationFromTotals, type Standardization } from '../../participant/data/standardization-from-totals.js';
import type { JobSpec } from '../../protocols/job/job-spec.js';
import { buildModel } from '../../participant/model/build-model.js';
import { clipUpdate } from '../../protocols/model/clip-update.js';
import { computeUpdateDelta } from '../../protocols/model/compute-update-delta.js';
import { initialWeights } from '../../participant/model/initial-weights.js';
import { initializeTfBackend } from '../../participant/model/initialize-tf-backend.js';
import { trainLocally } from '../../participant/model/train-locally.js';

/**
 * The federation without any cryptography or network: the same local training (deterministic per
 * seed and round) and plaintext FedAvg of the same updates, stepped by the job's server optimizer
 * (training.serverOptimizer; plain FedAvg when absent). An encrypted run must land on the same global
 * model within CKKS precision.
 */
export async function replayPlainFederatedAveraging(
  job: JobSpec,
  csvFiles: readonly string[],
  /**
   * The federation's own standardization (from its decrypted round-0 totals). Passing it isolates the
   * aggregation: CKKS-approximate column statistics shift a near-constant column's scale by ~1e-5.
   */
  federatedStandardization?: Standardization,
  /** Which of `csvFiles` (by index) contributed to a training round; every one when absent. */
  contributed?: (round: number, index: number) => boolean,
): Promise<Float32Array> {
  await initializeTfBackend();
  const datasets = await Promise.all(csvFiles.map(async (file) => parseDataset(await readCsvTable(file), job.features)));
  const totals = datasets
    .map((dataset) => computeFeatureStatistics(dataset, job.features))
    .reduce((sum, vector) => sum.map((value, index) => value + (vector[index] as number)));
  const standardization = federatedStandardization ?? standardizationFromTotals(totals, job.features);
  const encoded = datasets.map((dataset) => encodeFeatures(dataset, job.features, standardization));
  const model = buildModel(job.model, (encoded[0] as { width: number }).width);
  try {
    let global = initialWeights(model, job.training.seed);
    let optimizerState: ServerOptimizerState | undefined;
    for (let round = 1; round <= job.training.rounds; round += 1) {
      const updates = [];
      for (const [index, data] of encoded.entries()) {
        if (contributed && !contributed(round, index)) continue;
        const trained = await trainLocally({ model, globalWeights: global, ...data, settings: job.training, round });
        updates.push({ delta: clipUpdate(computeUpdateDelta(trained.weights, global), job.training.clipNorm).delta, sampleCount: trained.sampleCount });
      }
      const average = federatedAverageReference(updates);
      const optimizer = job.training.serverOptimizer;
      if (!optimizer) global = global.map((value, index) => value + (average[index] as number));
      else ({ weights: global, state: optimizerState } = serverOptimizerStep(optimizer, global, average, optimizerState));
    }
    return global;
  } finally {
    model.dispose();
  }
}
