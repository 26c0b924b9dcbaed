import { z } from 'zod';
import { ConfigError } from '../protocols/errors.js';
import { decryptionThreshold, usesTofnCustody, type JobSpec } from '../protocols/job/job-spec.js';

/**
 * A participant's own privacy floor (`privacy` in its node config). The job comes from the
 * coordinator, so the job cannot be what protects a node: the node refuses, at join, any job weaker
 * than its floor, and checks every decryption request against it (decryption-guard.ts).
 */
export const privacyPolicySchema = z
  .strictObject({
    /**
     * The fewest contributors an aggregate may have for this node to help decrypt it. Default: every
     * participant of the job (N-of-N threshold custody); never below 2, so no aggregate is one update.
     */
    minContributors: z.number().int().min(2).max(1_000).optional(),
    /**
     * The smallest `custody.threshold` this node accepts: under t-of-N custody any t participants can
     * decrypt an individual update together, so a job with a lower t is refused at join.
     */
    minDecryptionThreshold: z.number().int().min(2).max(1_000).optional(),
    /** Re-sum every signed contribution before each partial decryption (N× the download); on by default. */
    verifyAggregate: z.boolean().default(true),
    /**
     * For large models: re-sum only this many chunks of each aggregate, drawn afresh with a CSPRNG
     * (participant/aggregate-sample.ts states the detection probability); every chunk when absent.
     */
    verificationSampleChunks: z.number().int().min(1).max(100_000).optional(),
    /** The most times a round may run again; each retry is one more decryption against the smudging budget. */
    maxRoundRetries: z.number().int().min(0).max(5).default(1),
    /**
     * Differential privacy (participant/privacy-budget.ts): the most ε (at `delta`) this node lets one
     * job spend on its rows. Implies requireDifferentialPrivacy. A job whose full cost (every round)
     * would exceed it is refused at join; a round that would take it over (retries spend too) is not
     * trained: the node stops contributing and leaves the job.
     */
    maxEpsilon: z.number().positive().max(1_000).optional(),
    /** δ at which this node states and bounds its ε (default: the job's `differentialPrivacy.delta`). */
    delta: z.number().gt(0).lt(0.5).optional(),
    /** Refuse any job without `training.differentialPrivacy` (also implied by maxEpsilon). */
    requireDifferentialPrivacy: z.boolean().optional(),
  })
  .default({ verifyAggregate: true, maxRoundRetries: 1 });

export type PrivacyPolicy = z.infer<typeof privacyPolicySchema>;

/** The floor in force for one job: the policy with its defaults resolved against the job. */
export interface PrivacyFloor {
  readonly minContributors: number;
  readonly verifyAggregate: boolean;
  readonly verificationSampleChunks: number | undefined;
  readonly maxRoundRetries: number;
  /** privacy.minDecryptionThreshold, when set. */
  readonly minDecryptionThreshold?: number | undefined;
}

export const DEFAULT_PRIVACY_POLICY: PrivacyPolicy = privacyPolicySchema.parse(undefined);

export function resolvePrivacyFloor(policy: PrivacyPolicy, job: JobSpec): PrivacyFloor {
  // t-of-N rounds complete without absent nodes: the default floor is then the job's quorum, not N.
  const defaultMinimum = usesTofnCustody(job) ? job.federation.minParticipants : job.federation.participants.length;
  return {
    minContributors: policy.minContributors ?? Math.max(2, defaultMinimum),
    verifyAggregate: policy.verifyAggregate,
    verificationSampleChunks: policy.verificationSampleChunks,
    maxRoundRetries: policy.maxRoundRetries,
    ...(policy.minDecryptionThreshold === undefined ? {} : { minDecryptionThreshold: policy.minDecryptionThreshold }),
  };
}

/**
 * Refuses (ConfigError, before anything but the Join has left) a threshold-custody job that the
 * coordinator could use below this node's floor; names the job setting and the node setting.
 */
export function assertJobMeetsFloor(job: JobSpec, floor: PrivacyFloor): void {
  if (job.custody.mode !== 'threshold') return;
  const refuse = (what: string): never => {
    throw new ConfigError(`job ${job.jobId} is weaker than this node's privacy policy: ${what}; refusing to take part`);
  };
  const participants = job.federation.participants.length;
  if (floor.minContributors > participants) {
    refuse(`privacy.minContributors is ${floor.minContributors} but the job lists only ${participants} participants`);
  }
  if (job.federation.minParticipants < floor.minContributors) {
    refuse(
      `federation.minParticipants is ${job.federation.minParticipants}, below privacy.minContributors ${floor.minContributors} ` +
        `(an aggregate of fewer contributors could isolate one institution's update)`,
    );
  }
  if (floor.verifyAggregate && !job.custody.verifyAggregate) {
    refuse('custody.verifyAggregate is false, and privacy.verifyAggregate requires checking every aggregate against the signed contributions');
  }
  const threshold = decryptionThreshold(job) ?? participants;
  if (floor.minDecryptionThreshold !== undefined && threshold < floor.minDecryptionThreshold) {
    refuse(
      `custody.threshold is ${threshold}, below privacy.minDecryptionThreshold ${floor.minDecryptionThreshold} ` +
        `(any ${threshold} participants could decrypt an individual update together)`,
    );
  }
  if (job.federation.roundRetries > floor.maxRoundRetries) {
    refuse(`federation.roundRetries is ${job.federation.roundRetries}, above privacy.maxRoundRetries ${floor.maxRoundRetries}`);
  }
}

/** One line for the node's log: what it enforces in this job. */
export function describeFloor(job: JobSpec, floor: PrivacyFloor): Record<string, unknown> {
  if (job.custody.mode !== 'threshold') return { custody: job.custody.mode, enforced: 'none (no threshold decryption in this custody mode)' };
  const verification = !floor.verifyAggregate ? 'off' : floor.verificationSampleChunks === undefined ? 'every chunk' : `${floor.verificationSampleChunks} random chunks per aggregate`;
  return { custody: 'threshold', threshold: `${decryptionThreshold(job)} of ${job.federation.participants.length}`, minContributors: floor.minContributors, verifyAggregate: verification, maxRoundRetries: floor.maxRoundRetries, selfInclusion: true, oneDecryptionSetPerC1: true };
}
