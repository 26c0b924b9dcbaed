import { ConfigError } from '../errors.js';
import { jobSha256 } from '../job/job-sha256.js';
import type { JobSpec } from '../job/job-spec.js';

/**
 * Refuses a job whose SHA-256 differs from the one pinned in the federation manifest
 * (`hefl provision --job`). A manifest provisioned without a job pins nothing.
 * `who` names the refusing node in the message, e.g. `participant "bank"`.
 */
export function assertJobPinned(job: JobSpec, manifest: { readonly jobSha256?: string | undefined }, who: string): void {
  const pinned = manifest.jobSha256;
  if (pinned === undefined) return;
  const actual = jobSha256(job);
  if (actual === pinned) return;
  throw new ConfigError(
    `${who} refuses job "${job.jobId}": its SHA-256 is ${actual.slice(0, 12)}…, but the federation manifest pins ${pinned.slice(0, 12)}…; ` +
      'the startup kit was provisioned for another job (re-provision with `hefl provision --job` for this one)',
  );
}
