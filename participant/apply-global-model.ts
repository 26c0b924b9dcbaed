import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { splitTrainingSum, countRoundValues } from '../protocols/aggregation/update-vector.js';
import { federatedEvaluation } from '../protocols/data/evaluation-counts.js';
import { standardizationFromTotals } from './data/standardization-from-totals.js';
import { decodeStatisticsLimbs } from '../protocols/data/statistics-limbs.js';
import { meanFilledColumns } from '../protocols/data/missing-values.js';
import { HeflError, WireMessageError } from '../protocols/errors.js';
import { countModelParameters } from '../protocols/job/count-model-parameters.js';
import type { JobSpec } from '../protocols/job/job-spec.js';
import { jobSha256 } from '../protocols/job/job-sha256.js';
import { initialWeights } from './model/initial-weights.js';
import type { RoundKind } from '../protocols/wire/federation-messages.js';
import { useStandardization, type JobState, type PreparedData } from './job-state.js';
import type { EventOf, ParticipantNode } from './participant-options.js';
import { applyTrainingSum, savedServerOptimizer } from './next-global-model.js';
import { float32ToBase64, saveParticipantState } from './participant-state.js';

/** The aggregate's announced length must be the round kind's: statistics, training or evaluation. */
export function expectedLayout(state: JobState, event: { round: number; kind: RoundKind; vectorLength: number }): JobSpec {
  const { job } = state;
  if (!job || !state.data) throw new WireMessageError('aggregate before the job was accepted');
  const expectedLength = countRoundValues(job, event.kind);
  if (event.vectorLength !== expectedLength) {
    throw new WireMessageError(`aggregate of round ${event.round} has ${event.vectorLength} values, expected ${expectedLength}`);
  }
  return job;
}

/**
 * `aggregate-decrypted`: the sum the coordinator published once it could (custody none, or threshold
 * after the partial decryptions); undefined when a late evaluation was no longer served.
 */
export async function fetchPublishedSum(node: ParticipantNode, job: JobSpec, event: EventOf<'aggregate-decrypted'>): Promise<Float64Array | undefined> {
  const request = { jobId: job.jobId, participantId: node.options.participantId, round: event.round, kind: event.kind };
  let chunks: Float64Array[];
  try {
    chunks = await node.options.connection.fetchDecryptedAggregate(request);
  } catch (error) {
    // The federation's evaluation only feeds this node's log; after the last round the job may end first.
    if (event.kind !== 'evaluation' || !(error instanceof HeflError)) throw error;
    node.logger.debug({ round: event.round, reason: error.message }, 'the federated evaluation was no longer served');
    return undefined;
  }
  const sum = new Float64Array(event.vectorLength);
  let offset = 0;
  for (const chunk of chunks) {
    if (offset + chunk.length > sum.length) throw new WireMessageError('the decrypted aggregate is longer than announced');
    sum.set(chunk, offset);
    offset += chunk.length;
  }
  if (offset !== sum.length) throw new WireMessageError(`the decrypted aggregate has ${offset} values, ${sum.length} announced`);
  return sum;
}

/**
 * The decrypted sum of a round, applied and saved: federated statistics in round 0 (the
 * standardization), the next global model after a training round, the federation's evaluation after
 * an evaluation round. Only federation-wide values are in it: each node's own sample count, loss and
 * evaluation stay inside the sum.
 */
export async function applyGlobalModel(node: ParticipantNode, state: JobState, event: { round: number; kind: RoundKind; contributors: readonly string[] }, sum: Float64Array): Promise<void> {
  await applyAggregate(node, state, event, sum);
  await saveState(node, state);
}

async function applyAggregate(node: ParticipantNode, state: JobState, event: { round: number; kind: RoundKind; contributors: readonly string[] }, sum: Float64Array): Promise<void> {
  const job = state.job as JobSpec;
  const data = state.data as PreparedData;
  if (event.kind === 'evaluation') {
    await applyEvaluation(node, state, job, event.round, sum);
    sum.fill(0);
    return;
  }
  if (event.kind === 'statistics') {
    const totals = decodeStatisticsLimbs(sum, job.features.numeric.length, event.contributors.length, meanFilledColumns(job.features).length);
    const model = useStandardization(state, job, data, standardizationFromTotals(totals, job.features));
    totals.fill(0);
    state.globalWeights = initialWeights(model, job.training.seed);
    node.logger.info({ round: event.round, contributors: event.contributors.length }, 'federated standardization ready');
  } else {
    if (!state.globalWeights || !state.model) throw new WireMessageError('training aggregate before the statistics round');
    const training = splitTrainingSum(sum, countModelParameters(job));
    applyTrainingSum(node.strategy, job, state, training);
    state.roundsCompleted = event.round;
    state.lastTraining = { round: event.round, totalSamples: training.totalSamples, meanLocalLoss: training.meanLocalLoss };
    node.logger.info({ round: event.round, contributors: event.contributors.length }, 'global model updated');
  }
  sum.fill(0);
  state.lastAppliedRound = event.round;
  node.options.onProgress?.({ type: 'round-applied', round: event.round });
}

/** The federation's evaluation of the round's model, reported by the nodes where the coordinator cannot decrypt it. */
async function applyEvaluation(node: ParticipantNode, state: JobState, job: JobSpec, round: number, sum: Float64Array): Promise<void> {
  const federated = federatedEvaluation(sum);
  node.logger.info({ round, federatedAuc: federated.auc, evaluationRows: federated.count }, 'federated evaluation of the global model');
  if (!state.custody.reportsFederatedEvaluation) return;
  const training = state.lastTraining?.round === round ? state.lastTraining : undefined;
  const receipt = await node.options.connection.reportEvaluation({
    jobId: job.jobId,
    participantId: node.options.participantId,
    round,
    evaluationCount: federated.count,
    auc: federated.auc ?? 0,
    loss: federated.loss ?? 0,
    totalSamples: training?.totalSamples ?? 0,
    meanTrainingLoss: training?.meanLocalLoss ?? 0,
  });
  if (!receipt.accepted) node.logger.warn({ round, reason: receipt.reason }, 'federated evaluation report refused');
}

/** After every applied round: what a restarted process needs to rejoin (no data, no secret). */
async function saveState(node: ParticipantNode, state: JobState): Promise<void> {
  const { stateFile, participantId } = node.options;
  const { job, globalWeights, standardization, lastAppliedRound } = state;
  if (!stateFile || !job || !globalWeights || !standardization || lastAppliedRound === undefined) return;
  await mkdir(dirname(stateFile), { recursive: true, mode: 0o700 });
  await saveParticipantState(stateFile, {
    format: 'hefl-participant-state/2',
    jobId: job.jobId,
    jobSha256: jobSha256(job),
    participantId,
    lastAppliedRound,
    roundsCompleted: state.roundsCompleted,
    globalWeights: float32ToBase64(globalWeights),
    means: Array.from(standardization.means),
    stds: Array.from(standardization.stds),
    ...state.custody.savedKey(),
    ...savedServerOptimizer(state.serverOptimizer),
    ...(state.trainer?.accountantState() ? { dpAccountant: state.trainer.accountantState() } : {}),
    savedAt: new Date().toISOString(),
  });
}
