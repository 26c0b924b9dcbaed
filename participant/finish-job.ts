import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { tofnShareFileOf } from './custody/tofn-resharing.js';
import { WireMessageError } from '../protocols/errors.js';
import { setFlatWeights } from './model/unflatten-weights.js';
import type { JobState } from './job-state.js';
import type { ParticipantNode, ParticipantOutcome } from './participant-options.js';
import { wipeSecretFile } from './wipe-secret-file.js';
import { accountantFileBeside } from './dp-accountant-file.js';
import { writeModelBundle } from './write-model-bundle.js';

/** `job-finished`: the final global model written (when asked for), and what the job produced. */
export async function writeFinalModel(node: ParticipantNode, state: JobState): Promise<ParticipantOutcome> {
  const { job, model, globalWeights, standardization, data } = state;
  if (!job || !model || !globalWeights || !standardization || !data) throw new WireMessageError('job finished before any round');
  const { modelDirectory } = node.options;
  if (modelDirectory) {
    setFlatWeights(model, globalWeights);
    const files = await writeModelBundle(model, job, standardization, modelDirectory);
    node.logger.info({ directory: modelDirectory, files: files.map((file) => basename(file)) }, 'final global model written');
  }
  const privacy = state.trainer?.privacySummary();
  if (privacy) node.logger.info({ ...privacy, maxEpsilon: privacy.maxEpsilon ?? 'none' }, 'differential privacy: ε this job spent on this node\'s rows');
  return { roundsCompleted: state.roundsCompleted, finalWeights: globalWeights, standardization, sampleCount: data.dataset.rowCount, ...(privacy ? { privacy } : {}) };
}

/**
 * The job is over: a later job with this output folder must not try to resume this one, and the
 * key share (useless now, dangerous if stolen with an old aggregate) is overwritten and removed.
 */
export async function removeJobFiles(node: ParticipantNode): Promise<void> {
  const { stateFile, decryptionGuardFile, secretShareFile, keepSecretShare } = node.options;
  if (stateFile) await rm(stateFile, { force: true });
  if (stateFile) await rm(accountantFileBeside(stateFile), { force: true });
  if (decryptionGuardFile) await rm(decryptionGuardFile, { force: true });
  // The t-of-N share (custody.threshold < N) sits beside the N-of-N share and goes with it.
  for (const file of secretShareFile && !keepSecretShare ? [secretShareFile, tofnShareFileOf(secretShareFile)] : []) {
    if (await wipeSecretFile(file)) node.logger.info({ file }, 'secret key share wiped (overwritten, then removed): the job has ended');
  }
}
