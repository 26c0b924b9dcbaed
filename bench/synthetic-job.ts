import { countModelParameters, countStatisticsValues } from '../protocols/job/count-model-parameters.js';
import { jobSpecSchema, type JobSpec } from '../protocols/job/job-spec.js';
import { DEFAULT_CKKS_PARAMETERS } from './ckks-throughput.js';

const MAX_HIDDEN_UNITS = 4_000;

/**
 * A job whose model has about `targetParameters` weights, so the coordinator expects updates of that
 * length: F numeric features and one hidden layer of U units give U·(F + 2) + 1 parameters. Nobody
 * trains it; the bench's participants send synthetic encrypted updates of that length.
 */
export function syntheticJob(targetParameters: number, participantCount: number, jobId: string, roundDeadlineSeconds: number): JobSpec {
  const featuresPlusTwo = Math.max(10, Math.ceil((targetParameters - 1) / MAX_HIDDEN_UNITS));
  const units = Math.max(1, Math.round((targetParameters - 1) / featuresPlusTwo));
  const featureCount = featuresPlusTwo - 2;
  return jobSpecSchema.parse({
    jobId,
    model: { kind: 'sequential', hiddenLayers: [{ type: 'dense', units, activation: 'relu' }] },
    features: {
      numeric: Array.from({ length: featureCount }, (_, index) => `x${index}`),
      label: { column: 'y', positive: '1', negative: '0' },
    },
    training: { rounds: 1 },
    federation: {
      participants: Array.from({ length: participantCount }, (_, index) => `p${String(index + 1).padStart(2, '0')}`),
      minParticipants: participantCount,
      roundDeadlineSeconds,
      joinDeadlineSeconds: 120,
    },
    // The bench measures single-key custody (one key pair made offline); threshold costs are their own section.
    custody: { mode: 'single-key' },
    ckks: DEFAULT_CKKS_PARAMETERS,
  });
}

export function syntheticJobSizes(job: JobSpec): { modelParameters: number; statisticsValues: number } {
  return { modelParameters: countModelParameters(job), statisticsValues: countStatisticsValues(job) };
}
