import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { JobSpec } from './job-spec.js';
import type { VerticalJobSpec } from '../vertical/vertical-job-spec.js';

/** SHA-256 of a job's canonical JSON: saved state resumes only the very same job. */
export function jobSha256(job: JobSpec | VerticalJobSpec): string {
  return createHash('sha256').update(canonicalJson(job)).digest('hex');
}
