import { assertSmudgingSigmaBits, ciphertextsPerModel, smudgingBitsFor } from '../ckks/threshold/threshold-parameters.js';
import { ConfigError } from '../errors.js';
import { countModelParameters, countStatisticsValues } from './count-model-parameters.js';
import { usesTofnCustody, type JobSpec } from './job-spec.js';

/**
 * Threshold custody: the smudging noise must satisfy the sizing rule for everything this job will
 * ever decrypt under its key (tau = ciphertexts per round x rounds, statistics round included, times
 * the decryptions a retried or resumed round may take again), or
 * the partial decryptions could leak the secret shares. Both the coordinator and every participant
 * check this: a participant must not trust the coordinator's copy of the job for it.
 */
export function assertSmudgingBudget(job: JobSpec): void {
  if (job.custody.mode !== 'threshold') return;
  assertSmudgingSigmaBits(job.ckks, job.custody.smudgingSigmaBits);
  const maxDecryptions =
    // A round may be decrypted again when it is retried or resumed (same contributors, see ThresholdKeyHolder).
    (ciphertextsPerModel(job.ckks, countModelParameters(job)) * job.training.rounds + ciphertextsPerModel(job.ckks, countStatisticsValues(job))) *
    (1 + job.federation.roundRetries) +
    // t-of-N: the key-setup canaries (a node sits on at most two cover committees: windows of t, one wrapping around).
    (usesTofnCustody(job) ? 2 : 0);
  const needed = smudgingBitsFor(job.ckks, { parties: job.federation.participants.length, maxDecryptions });
  if (job.custody.smudgingSigmaBits < needed) {
    throw new ConfigError(
      `custody.smudgingSigmaBits is ${job.custody.smudgingSigmaBits}, but ${job.federation.participants.length} parties decrypting ` +
        `${maxDecryptions} ciphertexts under one key need at least ${needed} (sizing rule sigma >= sqrt(12 tau) 2^(s/2) B, s = 30)`,
    );
  }
}
