/**
 * The cover check's canary (cover-check.ts): a public vector every party derives from the job, the
 * collective key and the committee, so the coordinator can check a committee's decryption and nobody
 * chooses the plaintext. The ciphertext itself is made and signed by the committee's leader (its first
 * sorted member) before any update exists under the collective key (participant/custody/tofn-resharing.ts).
 */
import { domainHash } from '../threshold/domain-hash.js';
import { committeeMapKey } from './committee.js';

export const CANARY_LENGTH = 8;

/** The committee's leader: its first member in sorted order. */
export function canaryLeader(committee: readonly string[]): string {
  return [...committee].sort()[0] as string;
}

/** CANARY_LENGTH values in [−1, 1) from SHA-256(job, key fingerprint, sorted committee). */
export function canaryValues(jobId: string, keyFingerprint: string, committee: readonly string[]): Float64Array {
  const digest = domainHash('sha256', 'hefl/tofn/canary/v1', [jobId, keyFingerprint, committeeMapKey(committee)]);
  const bytes = Buffer.from(digest);
  return Float64Array.from({ length: CANARY_LENGTH }, (_, index) => bytes.readUInt32BE((index * 4) % 32) / 2 ** 31 - 1);
}
