import { ckksParametersFingerprint } from '../ckks/ckks-parameters-fingerprint.js';
import { ConfigError } from '../errors.js';
import { assertSmudgingBudget } from '../job/assert-smudging-budget.js';
import type { JobSpec } from '../job/job-spec.js';
import type { KeyFolderManifest } from './key-folder-manifest.js';

export type KeyFolderHolder = 'coordinator' | 'participant';

/**
 * Refuses a job that the node's key folder was not made for, with the messages the coordinator
 * (Coordinator.create) and a participant (Participant acceptJob) give today:
 * - coordinator only: the folder's job id must be the job's (a participant checks the job id against
 *   its own config instead);
 * - both: the job's CKKS parameters fingerprint must be the folder's (no silent downgrade);
 * - both: the job's smudging budget must hold (assertSmudgingBudget; checked here, between the two key
 *   checks, so that the first error a misconfigured node reports stays the one it reports today);
 * - both: the job's custody mode must be the folder's.
 * Throws ConfigError (or assertSmudgingBudget's error); returns nothing when all hold.
 */
export function assertKeysMatchJob(
  manifest: Pick<KeyFolderManifest, 'jobId' | 'parametersFingerprint' | 'custody'>,
  job: JobSpec,
  holder: KeyFolderHolder,
): void {
  if (holder === 'coordinator' && manifest.jobId !== job.jobId) {
    throw new ConfigError(`the coordinator key folder is for job "${manifest.jobId}", the job file is "${job.jobId}"`);
  }
  if (manifest.parametersFingerprint !== ckksParametersFingerprint(job.ckks)) {
    throw new ConfigError(
      holder === 'coordinator'
        ? 'the job file\'s ckks parameters differ from those the coordinator keys were made for'
        : 'the job\'s CKKS parameters differ from those of this node\'s key folder; refusing to take part',
    );
  }
  assertSmudgingBudget(job);
  if (manifest.custody !== job.custody.mode) {
    throw new ConfigError(
      holder === 'coordinator'
        ? `the job asks for ${job.custody.mode} custody; the coordinator key folder was made for ${manifest.custody}`
        : `the job uses ${job.custody.mode} custody; this node's key folder was made for ${manifest.custody}`,
    );
  }
}
