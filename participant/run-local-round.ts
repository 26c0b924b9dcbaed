import { computeAuc } from './data/compute-auc.js';
import { computeFeatureStatistics } from './data/compute-feature-statistics.js';
import { EVALUATION_VALUES, evaluationCounts } from '../protocols/data/evaluation-counts.js';
import { WireMessageError } from '../protocols/errors.js';
import { encodeStatisticsLimbs } from '../protocols/data/statistics-limbs.js';
import { meanFilledColumns } from '../protocols/data/missing-values.js';
import { trainingVector } from '../protocols/aggregation/update-vector.js';
import type { JobSpec } from '../protocols/job/job-spec.js';
import { buildModel } from './model/build-model.js';
import { clipUpdate } from '../protocols/model/clip-update.js';
import { computeUpdateDelta } from '../protocols/model/compute-update-delta.js';
import { evaluateLoss } from '../protocols/model/evaluate-model.js';
import { predictScores } from './model/predict-scores.js';
import { setFlatWeights } from './model/unflatten-weights.js';
import type { JobState, PreparedData } from './job-state.js';
import type { EventOf, ParticipantNode } from './participant-options.js';
import { uploadUpdate } from './upload-update.js';

/**
 * `round-started`: this node's vector for the round (statistics, a weighted training update, or
 * evaluation counts), uploaded through the custody's encryption stage, then zeroed. Raw rows and
 * the node's own metrics never leave it: only what is inside the vector, and the vector encrypted.
 */
export async function runLocalRound(node: ParticipantNode, state: JobState, event: EventOf<'round-started'>): Promise<void> {
  const { job, data } = state;
  if (!job || !data) throw new WireMessageError('round started before the job was accepted');
  if (!state.custody.readyToEncode()) throw new WireMessageError('round started before the encryption key was set up');
  state.currentRound = event.round;
  state.acknowledged.delete(`${event.round}:${event.kind}`);
  node.options.onProgress?.({ type: 'round-started', round: event.round, kind: event.kind, rounds: job.training.rounds });
  const localStarted = performance.now();
  const vector =
    event.kind === 'statistics'
      ? // Round 0: per-column sums, sums of squares and the row count, as bounded fixed-point limbs.
        statisticsVector(data.dataset, job)
      : event.kind === 'evaluation'
        ? // The new global model on this node's evaluation rows, as ROC counts (zeros without any).
          evaluationVector(node, state, event.round)
        : await trainingUpdate(node, state, job, data, event.round);
  await uploadUpdate(node, state, job, event.round, event.kind, vector, performance.now() - localStarted);
  vector.fill(0);
}

/** The node's round-0 statistics as the limbs it encrypts; the float64 statistics are wiped. */
function statisticsVector(dataset: PreparedData['dataset'], job: JobSpec): Float64Array {
  const statistics = computeFeatureStatistics(dataset, job.features);
  const vector = encodeStatisticsLimbs(statistics, job.features.numeric.length, meanFilledColumns(job.features).length);
  statistics.fill(0);
  return vector;
}

/** Local epochs from the global model, the clipped delta weighted before encryption (n_i · Δ_i: the coordinator only adds). */
async function trainingUpdate(node: ParticipantNode, state: JobState, job: JobSpec, data: PreparedData, round: number): Promise<Float64Array> {
  if (!data.train || !state.globalWeights) throw new WireMessageError('training round before the statistics round');
  if (!state.trainer) throw new WireMessageError('training round before the job was accepted');
  state.model ??= buildModel(job.model, data.train.width);
  // Plain local epochs or DP-SGD: the trainer chosen at join (local-trainer.ts).
  const trained = await state.trainer.train({
    model: state.model,
    globalWeights: state.globalWeights,
    features: data.train.features,
    labels: data.train.labels,
    rowCount: data.train.rowCount,
    width: data.train.width,
    round,
  });
  // The distributed DP mechanisms hand over a clipped, noised delta of weight 1: sent exactly as is.
  const weighted = trained.update ?? node.strategy.weightUpdate(clipUpdate(computeUpdateDelta(trained.weights, state.globalWeights), job.training.clipNorm).delta, trained.sampleCount);
  // n and n·loss ride inside the ciphertext: only federation-wide sums are ever decrypted.
  const vector = trainingVector(weighted, trained.sampleCount, trained.meanLoss);
  weighted.fill(0);
  return vector;
}

/**
 * This node's evaluation vector for the global model in force: ROC counts, loss sum and rows of its
 * evaluation CSV (all zeros without one), which it encrypts; its own metrics stay in its log.
 */
function evaluationVector(node: ParticipantNode, state: JobState, round: number): Float64Array {
  const { model, globalWeights, data } = state;
  const evaluation = data?.evaluationEncoded;
  if (!model || !globalWeights) throw new WireMessageError('evaluation round before a global model exists');
  if (!evaluation || evaluation.rowCount === 0) return new Float64Array(EVALUATION_VALUES);
  setFlatWeights(model, globalWeights);
  const scores = predictScores(model, evaluation.features, evaluation.rowCount, evaluation.width);
  const auc = computeAuc(scores, evaluation.labels);
  const local = { auc: Number.isNaN(auc) ? 0 : auc, loss: evaluateLoss(scores, evaluation.labels), count: evaluation.rowCount };
  node.options.onRoundEvaluated?.(round, local);
  return evaluationCounts(scores, evaluation.labels);
}
