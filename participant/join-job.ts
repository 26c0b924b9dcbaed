import { parseDataset } from './data/parse-dataset.js';
import { readCsvTable } from './data/read-csv-table.js';
import { ConfigError, RoundFailedError, WireMessageError } from '../protocols/errors.js';
import { countModelParameters } from '../protocols/job/count-model-parameters.js';
import type { JobSpec } from '../protocols/job/job-spec.js';
import { assertKeysMatchJob } from '../protocols/keys/assert-keys-match-job.js';
import { jobSha256 } from '../protocols/job/job-sha256.js';
import { assertJobPinned } from '../protocols/trust/assert-job-pinned.js';
import type { ParticipantCustody, ResumedJob } from './custody/participant-custody.js';
import { useStandardization, type JobState, type PreparedData } from './job-state.js';
import type { EventOf, ParticipantNode } from './participant-options.js';
import { restoreServerOptimizer } from './next-global-model.js';
import { base64ToFloat32, type ParticipantState } from './participant-state.js';
import { assertJobMeetsFloor, DEFAULT_PRIVACY_POLICY, describeFloor, resolvePrivacyFloor } from './privacy-policy.js';

/**
 * The first `job-accepted`: the job checked against this node's pin, config and keys, its privacy
 * floor met (else nothing but the Join has left), the custody opened, the local rows loaded, and a
 * restarted node's saved state restored.
 */
export async function joinJob(node: ParticipantNode, state: JobState, event: EventOf<'job-accepted'>): Promise<void> {
  const { options, logger } = node;
  const job = (state.job = acceptJob(node, state.custody, event.job));
  const floor = (state.floor = resolvePrivacyFloor(options.privacy ?? DEFAULT_PRIVACY_POLICY, job));
  try {
    assertJobMeetsFloor(job, floor);
  } catch (error) {
    options.onRefusal?.('JobRefused', error instanceof Error ? error.message : String(error));
    throw error;
  }
  state.accepted = true;
  logger.info({ jobId: job.jobId, ...describeFloor(job, floor) }, 'privacy floor this node enforces');
  await state.custody.openJob(job, floor);
  state.data = await loadData(node, job);
  if (state.saved) await restoreSaved(node, state, state.saved, event.resumed);
  // Without saved state: the coordinator sends the key setup's signed outcome and each completed
  // round's aggregate next; applying them in order rebuilds the same standardization and model.
  else if (event.resumed) logger.info({ lastCompletedRound: event.resumed.lastCompletedRound }, 'no saved state: catching up on the aggregates of the completed rounds');
}

/**
 * A later `job-accepted`, after rejoining a job this node is already in: the same job, the same
 * collective key, and the coordinator's last completed round must be the one this node's model is from.
 */
export function checkResumedJob(node: ParticipantNode, state: JobState, event: EventOf<'job-accepted'>): void {
  const job = state.job as JobSpec;
  if (JSON.stringify(event.job) !== JSON.stringify(job)) throw new WireMessageError('after rejoining, the coordinator sent a different job');
  if (!event.resumed || event.resumed.lastCompletedRound !== state.lastAppliedRound) {
    throw new WireMessageError(`after rejoining, the coordinator is at round ${event.resumed?.lastCompletedRound ?? 'none'}, this node at ${state.lastAppliedRound}`);
  }
  state.custody.checkResumed(event.resumed);
  state.currentRound = state.lastAppliedRound;
  node.logger.info({ lastCompletedRound: event.resumed.lastCompletedRound }, 'rejoined the job; continuing with the next round');
}

function acceptJob(node: ParticipantNode, custody: ParticipantCustody, job: JobSpec): JobSpec {
  const { options, logger } = node;
  assertJobPinned(job, { jobSha256: options.pinnedJobSha256 }, `participant "${options.participantId}"`);
  const { keys, participantId, jobId } = options;
  if (job.jobId !== jobId) throw new ConfigError(`the coordinator runs job "${job.jobId}", this node is configured for "${jobId}"`);
  if (!job.federation.participants.includes(participantId)) {
    throw new ConfigError(`participant "${participantId}" is not listed in job ${job.jobId}`);
  }
  // The job's CKKS parameters and custody must be those the node's keys were made for: no silent downgrade.
  assertKeysMatchJob(keys.manifest, job, 'participant');
  custody.acceptJob(job);
  logger.info(
    { jobId: job.jobId, rounds: job.training.rounds, model: job.model.kind, participants: job.federation.participants.length },
    'joined job',
  );
  return job;
}

async function loadData(node: ParticipantNode, job: JobSpec): Promise<PreparedData> {
  const { options } = node;
  const csv = options.csvDelimiter ? { delimiter: options.csvDelimiter } : {};
  const dataset = parseDataset(await readCsvTable(options.dataCsv, csv), job.features);
  const evaluation = options.evaluationCsv ? parseDataset(await readCsvTable(options.evaluationCsv, csv), job.features) : undefined;
  node.logger.info({ rows: dataset.rowCount, evaluationRows: evaluation?.rowCount ?? 0 }, 'local data loaded');
  return { dataset, evaluation };
}

/**
 * A restarted node rejoining its job: the saved model must be from exactly the coordinator's last
 * completed round, the job and the collective key the same.
 */
async function restoreSaved(node: ParticipantNode, state: JobState, saved: ParticipantState, resumed: ResumedJob | undefined): Promise<void> {
  const job = state.job as JobSpec;
  const data = state.data as PreparedData;
  const source = node.options.stateFile as string;
  if (saved.jobSha256 !== jobSha256(job)) throw new ConfigError(`${source} is the saved state of another job (or of an edited job file); remove it to join afresh`);
  if (!resumed || resumed.lastCompletedRound !== saved.lastAppliedRound) {
    throw new RoundFailedError(`this node's saved model is from round ${saved.lastAppliedRound}; the coordinator's last completed round is ${resumed?.lastCompletedRound ?? 'none'}`);
  }
  useStandardization(state, job, data, { means: Float64Array.from(saved.means), stds: Float64Array.from(saved.stds) });
  const weights = base64ToFloat32(saved.globalWeights, source);
  if (weights.length !== countModelParameters(job)) throw new ConfigError(`${source}: the saved model has ${weights.length} parameters, the job's model ${countModelParameters(job)}`);
  state.globalWeights = weights;
  state.serverOptimizer = restoreServerOptimizer(saved, weights.length, source);
  state.roundsCompleted = saved.roundsCompleted;
  state.currentRound = saved.lastAppliedRound;
  await state.custody.restore(saved, resumed, source);
  node.logger.info({ lastAppliedRound: saved.lastAppliedRound }, 'restored this node\'s saved state; rejoining the job');
}
