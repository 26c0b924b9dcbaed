import { EVALUATION_VALUES } from '../data/evaluation-counts.js';
import { WireMessageError } from '../errors.js';
import { countModelParameters, countStatisticsValues } from '../job/count-model-parameters.js';
import type { JobSpec } from '../job/job-spec.js';
import type { RoundKind } from '../wire/federation-messages.js';

/**
 * What a training update carries inside its ciphertext, so that no per-node statistic travels in the
 * clear: the weighted delta n·Δ (one value per model parameter), then n·(mean local loss), then n.
 * After decryption the sum holds Σ n·Δ, Σ n·loss and Σ n: the federation-wide values only.
 */
export const TRAINING_EXTRA_VALUES = 2;

export function countTrainingValues(parameterCount: number): number {
  return parameterCount + TRAINING_EXTRA_VALUES;
}

/** [n·Δ | n·loss | n] for one participant; a non-finite loss is sent as 0 (it only feeds the report). */
export function trainingVector(weightedDelta: Float64Array, sampleCount: number, meanLocalLoss: number): Float64Array {
  if (!Number.isFinite(sampleCount) || sampleCount <= 0) throw new RangeError(`sample count must be positive, got ${sampleCount}`);
  const vector = new Float64Array(weightedDelta.length + TRAINING_EXTRA_VALUES);
  vector.set(weightedDelta);
  vector[weightedDelta.length] = sampleCount * (Number.isFinite(meanLocalLoss) ? meanLocalLoss : 0);
  vector[weightedDelta.length + 1] = sampleCount;
  return vector;
}

export interface TrainingSum {
  /** Σ n_i·Δ_i, one value per model parameter (a view into the decrypted sum). */
  readonly weightedDeltaSum: Float64Array;
  /** Σ n_i, rounded: CKKS returns it within its precision. */
  readonly totalSamples: number;
  /** Σ n_i·loss_i / Σ n_i. */
  readonly meanLocalLoss: number;
}

/** Splits a decrypted training sum; refuses a total sample count that is no positive count. */
export function splitTrainingSum(sum: Float64Array, parameterCount: number): TrainingSum {
  if (sum.length !== countTrainingValues(parameterCount)) {
    throw new WireMessageError(`the training aggregate has ${sum.length} values; ${countTrainingValues(parameterCount)} expected`);
  }
  const totalSamples = Math.round(sum[parameterCount + 1] as number);
  if (!(totalSamples >= 1)) throw new WireMessageError(`the training aggregate's total sample count is ${sum[parameterCount + 1]}; it must be at least 1`);
  const lossSum = sum[parameterCount] as number;
  return { weightedDeltaSum: sum.subarray(0, parameterCount), totalSamples, meanLocalLoss: Math.max(0, lossSum / totalSamples) };
}

/** The length of a round's vector: statistics (2 per numeric column + rows), training (weights + 2) or evaluation. */
export function countRoundValues(job: Pick<JobSpec, 'model' | 'features'>, kind: RoundKind): number {
  if (kind === 'statistics') return countStatisticsValues(job);
  return kind === 'training' ? countTrainingValues(countModelParameters(job)) : EVALUATION_VALUES;
}
