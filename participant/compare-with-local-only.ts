import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { FederatedStrategy } from '../protocols/aggregation/federated-strategy.js';
import type { JobSpec } from '../protocols/job/job-spec.js';
import { clipUpdate } from '../protocols/model/clip-update.js';
import { computeUpdateDelta } from '../protocols/model/compute-update-delta.js';
import { evaluateLoss } from '../protocols/model/evaluate-model.js';
import { computeAuc } from './data/compute-auc.js';
import type { EncodedFeatures } from './data/encode-features.js';
import { initialWeights } from './model/initial-weights.js';
import { predictScores } from './model/predict-scores.js';
import { trainLocally } from './model/train-locally.js';
import { setFlatWeights } from './model/unflatten-weights.js';
import type { JobState } from './job-state.js';
import type { ParticipantNode } from './participant-options.js';
import type { EvaluationOnRows, PartnerGain } from './partner-gain.js';

export type { EvaluationOnRows, PartnerGain } from './partner-gain.js';

export interface LocalOnlyComparisonInput {
  readonly job: JobSpec;
  readonly participantId: string;
  /** The node's model (its weights are overwritten, then left at the federated model's). */
  readonly model: tf.Sequential;
  readonly federatedWeights: Float32Array;
  /** This node's training and evaluation rows, encoded with the federated standardization. */
  readonly train: EncodedFeatures;
  readonly evaluation: EncodedFeatures;
  readonly strategy: FederatedStrategy;
}

const METHOD =
  'local-only: the job\'s model spec and training settings (same initial weights from the job seed, the same ' +
  'rounds x local epochs with the same seeded row order, the same update clipping) trained on this node\'s ' +
  'training rows alone, i.e. a federation of this node only; both models use the federated standardization, ' +
  'so the comparison isolates the other partners\' data, not the preprocessing';

/**
 * Trains the local-only model with the federation's own code path (trainLocally, clipping and the
 * strategy's update rule, round by round, as if this node were the only participant), then scores
 * both models on the evaluation rows. Nothing is sent anywhere; every tensor is disposed.
 */
export async function compareWithLocalOnly(input: LocalOnlyComparisonInput): Promise<PartnerGain> {
  const { job, model, train, evaluation, strategy } = input;
  const settings = job.training;
  let weights = initialWeights(model, settings.seed);
  let lastTrainingLoss = Number.NaN;
  for (let round = 1; round <= settings.rounds; round++) {
    const trained = await trainLocally({ model, globalWeights: weights, features: train.features, labels: train.labels, rowCount: train.rowCount, width: train.width, settings, round });
    const { delta } = clipUpdate(computeUpdateDelta(trained.weights, weights), settings.clipNorm);
    const weighted = strategy.weightUpdate(delta, trained.sampleCount);
    weights = strategy.nextGlobalWeights(weights, weighted, trained.sampleCount);
    weighted.fill(0);
    lastTrainingLoss = trained.meanLoss;
  }
  const localOnly = evaluateOnRows(model, weights, evaluation);
  const federated = evaluateOnRows(model, input.federatedWeights, evaluation);
  return {
    format: 'hefl-partner-gain/1',
    jobId: job.jobId,
    participantId: input.participantId,
    trainingRows: train.rowCount,
    evaluationRows: evaluation.rowCount,
    federated,
    localOnly: { ...localOnly, rounds: settings.rounds, epochs: settings.rounds * settings.localEpochs, lastTrainingLoss },
    gain: {
      auc: federated.auc !== null && localOnly.auc !== null ? federated.auc - localOnly.auc : null,
      loss: localOnly.loss - federated.loss,
    },
    method: METHOD,
    generatedAt: new Date().toISOString(),
  };
}

function evaluateOnRows(model: tf.Sequential, weights: Float32Array, rows: EncodedFeatures): EvaluationOnRows {
  setFlatWeights(model, weights);
  const scores = predictScores(model, rows.features, rows.rowCount, rows.width);
  const auc = computeAuc(scores, rows.labels);
  return { auc: Number.isNaN(auc) ? null : auc, loss: evaluateLoss(scores, rows.labels) };
}

/**
 * After `job-finished`, when the node was asked to (`localOnlyComparisonFile`, the config's
 * `compareWithLocalOnly`) and has evaluation rows: the comparison, written to this node's own output
 * folder and logged. It never fails the finished job; a failure is logged.
 */
export async function writePartnerGain(node: ParticipantNode, state: JobState): Promise<PartnerGain | undefined> {
  const file = node.options.localOnlyComparisonFile;
  if (!file) return undefined;
  const { job, model, globalWeights, data } = state;
  const evaluation = data?.evaluationEncoded;
  if (!job || !model || !globalWeights || !data?.train || !evaluation || evaluation.rowCount === 0) {
    node.logger.warn('no local-only comparison: it needs evaluation rows (evaluationCsv) and a finished training job');
    return undefined;
  }
  try {
    const gain = await compareWithLocalOnly({ job, participantId: node.options.participantId, model, federatedWeights: globalWeights, train: data.train, evaluation, strategy: node.strategy });
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(gain, null, 2)}\n`);
    node.logger.info(
      { file, federatedAuc: gain.federated.auc, localOnlyAuc: gain.localOnly.auc, aucGain: gain.gain.auc, federatedLoss: gain.federated.loss, localOnlyLoss: gain.localOnly.loss, evaluationRows: gain.evaluationRows },
      'what the federation bought this node: federated vs local-only model on its evaluation rows (written to its output folder only)',
    );
    return gain;
  } catch (error) {
    node.logger.warn({ reason: error instanceof Error ? error.message : String(error) }, 'local-only comparison failed; the federated job itself finished');
    return undefined;
  } finally {
    setFlatWeights(model, globalWeights);
  }
}
