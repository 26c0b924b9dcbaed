/**
 * Commit–reveal of per-party seeds for the common polynomial `a`: every party commits to a fresh random
 * seed, and only after all commitments are in does anyone reveal. No party (nor the coordinator) can then
 * bias the common seed, which matters because a chosen `a` could weaken the RLWE keys built on it.
 *
 * Protocol: 1. each party calls createSeedContribution and sends the commitment; 2. once every commitment
 * is known, each reveals its seed; 3. every party checks every reveal with verifySeedReveal and then calls
 * deriveCommonSeed with all reveals — the same 64 bytes at every party, fresh per job.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { WireMessageError } from '../../errors.js';
import { domainHash } from './domain-hash.js';

export const SEED_CONTRIBUTION_BYTES = 32;
/** SEAL expands uniform polynomials from 64-byte seeds. */
export const COMMON_SEED_BYTES = 64;

const COMMITMENT_DOMAIN = 'hefl/threshold-ckks/seed-commitment/v1';
const COMMON_SEED_DOMAIN = 'hefl/threshold-ckks/common-seed/v1';

export interface SeedContext {
  readonly jobId: string;
  readonly participantId: string;
}

export interface SeedContribution {
  /** Kept private until every commitment has arrived. */
  readonly seed: Uint8Array;
  /** SHA-256 hex binding job id, participant id and seed; published first. */
  readonly commitment: string;
}

export interface SeedReveal {
  readonly participantId: string;
  readonly seed: Uint8Array;
}

export function createSeedContribution(context: SeedContext): SeedContribution {
  const seed = new Uint8Array(randomBytes(SEED_CONTRIBUTION_BYTES));
  return { seed, commitment: seedCommitment(context, seed) };
}

/** The commitment for `seed`; the 256-bit random seed makes it hiding, SHA-256 makes it binding. */
export function seedCommitment(context: SeedContext, seed: Uint8Array): string {
  checkContext(context);
  checkSeed(seed, context.participantId);
  return domainHash('sha256', COMMITMENT_DOMAIN, [context.jobId, context.participantId, seed]).toString('hex');
}

/** True when `seed` opens `commitment` for this job and participant. Never throws on peer input. */
export function verifySeedReveal(commitment: string, seed: Uint8Array, context: SeedContext): boolean {
  if (!/^[0-9a-f]{64}$/.test(commitment)) return false;
  if (!(seed instanceof Uint8Array) || seed.length !== SEED_CONTRIBUTION_BYTES) return false;
  if (context.jobId.length === 0 || context.participantId.length === 0) return false;
  const expected = domainHash('sha256', COMMITMENT_DOMAIN, [context.jobId, context.participantId, seed]);
  return timingSafeEqual(expected, Buffer.from(commitment, 'hex'));
}

/**
 * The common seed for the job: SHA-512 over the job id and all reveals sorted by participant id, so the
 * order of arrival does not matter. Callers must have verified every reveal against its commitment.
 */
export function deriveCommonSeed(jobId: string, reveals: readonly SeedReveal[]): Uint8Array {
  if (jobId.length === 0) throw new WireMessageError('common seed: the job id is empty');
  if (reveals.length === 0) throw new WireMessageError('common seed: no seed reveals');
  const sorted = [...reveals].sort((a, b) => (a.participantId < b.participantId ? -1 : a.participantId > b.participantId ? 1 : 0));
  const fields: (string | Uint8Array)[] = [jobId, String(sorted.length)];
  sorted.forEach((reveal, index) => {
    if (reveal.participantId.length === 0) throw new WireMessageError('common seed: a reveal has an empty participant id');
    if (index > 0 && sorted[index - 1]?.participantId === reveal.participantId) {
      throw new WireMessageError(`common seed: participant ${reveal.participantId} revealed twice`);
    }
    checkSeed(reveal.seed, reveal.participantId);
    fields.push(reveal.participantId, reveal.seed);
  });
  // Plain Uint8Array: SEAL's embind loader refuses Buffer.
  return new Uint8Array(domainHash('sha512', COMMON_SEED_DOMAIN, fields));
}

function checkContext(context: SeedContext): void {
  if (context.jobId.length === 0 || context.participantId.length === 0) throw new WireMessageError('seed commitment needs a job id and a participant id');
}

function checkSeed(seed: Uint8Array, participantId: string): void {
  if (!(seed instanceof Uint8Array) || seed.length !== SEED_CONTRIBUTION_BYTES) {
    throw new WireMessageError(`seed from ${participantId} must be ${SEED_CONTRIBUTION_BYTES} bytes`);
  }
}
