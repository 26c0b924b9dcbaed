import type * as tf from '@tensorflow/tfjs';
import { encodeFeatures, type EncodedFeatures } from './data/encode-features.js';
import type { LocalDataset } from './data/parse-dataset.js';
import type { Standardization } from './data/standardization-from-totals.js';
import type { JobSpec } from '../protocols/job/job-spec.js';
import { buildModel } from './model/build-model.js';
import type { ServerOptimizerState } from '../protocols/aggregation/server-optimizer.js';
import type { ParticipantCustody } from './custody/participant-custody.js';
import type { ParticipantState } from './participant-state.js';
import type { PrivacyFloor } from './privacy-policy.js';

/**
 * What a participant knows about its job, filled in step by step: join-job.ts, run-local-round.ts,
 * apply-global-model.ts. It sits below every step and imports none of them, so the steps form no
 * circle; the key material is the custody's, never here.
 */
export interface JobState {
  /** Everything that depends on the key-custody mode (participant/custody/). */
  readonly custody: ParticipantCustody;
  /** What this node saved before its process restarted, if it did. */
  saved: ParticipantState | undefined;
  job: JobSpec | undefined;
  data: PreparedData | undefined;
  standardization: Standardization | undefined;
  globalWeights: Float32Array | undefined;
  /** The server optimizer's momentum and second moment (training.serverOptimizer), saved with the model. */
  serverOptimizer: ServerOptimizerState | undefined;
  model: tf.Sequential | undefined;
  roundsCompleted: number;
  currentRound: number;
  /** The last round whose aggregate this node applied (0 = statistics); what it rejoins with. */
  lastAppliedRound: number | undefined;
  /** The privacy floor this node enforces in this job (its policy resolved against the job). */
  floor: PrivacyFloor | undefined;
  /**
   * The job met this node's pin, keys and privacy floor: from here on it takes part, and would tell
   * the coordinator why it stops. A refused job gets nothing beyond the Join.
   */
  accepted: boolean;
  /** `round:kind` of the updates the coordinator acknowledged in the current attempt of each round. */
  acknowledged: Set<string>;
  /** The latest training round's federation-wide sample count and mean local loss (from its decrypted sum). */
  lastTraining: { round: number; totalSamples: number; meanLocalLoss: number } | undefined;
}

/** This node's rows: parsed at join, encoded once the federated standardization is known. */
export interface PreparedData {
  readonly dataset: LocalDataset;
  readonly evaluation: LocalDataset | undefined;
  train?: EncodedFeatures;
  evaluationEncoded?: EncodedFeatures | undefined;
}

export function createJobState(custody: ParticipantCustody): JobState {
  return {
    custody,
    saved: undefined,
    job: undefined,
    data: undefined,
    standardization: undefined,
    globalWeights: undefined,
    serverOptimizer: undefined,
    model: undefined,
    roundsCompleted: 0,
    currentRound: -1,
    lastAppliedRound: undefined,
    floor: undefined,
    accepted: false,
    acknowledged: new Set(),
    lastTraining: undefined,
  };
}

/** The federated standardization (from round 0 or the saved state): this node's rows encoded with it, the model built. */
export function useStandardization(state: JobState, job: JobSpec, data: PreparedData, standardization: Standardization): tf.Sequential {
  state.standardization = standardization;
  data.train = encodeFeatures(data.dataset, job.features, standardization);
  data.evaluationEncoded = data.evaluation ? encodeFeatures(data.evaluation, job.features, standardization) : undefined;
  state.model ??= buildModel(job.model, data.train.width);
  return state.model;
}
