import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/** SHA-256 of a job's canonical JSON (horizontal or vertical): saved state resumes only the very same job. */
export function jobSha256(job: object): string {
  return createHash('sha256').update(canonicalJson(job)).digest('hex');
}
