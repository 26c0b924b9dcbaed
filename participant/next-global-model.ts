import type { FederatedStrategy } from '../protocols/aggregation/federated-strategy.js';
import { averageDelta, serverOptimizerStep, type ServerOptimizerState } from '../protocols/aggregation/server-optimizer.js';
import type { TrainingSum } from '../protocols/aggregation/update-vector.js';
import { ConfigError } from '../protocols/errors.js';
import type { JobSpec } from '../protocols/job/job-spec.js';
import type { JobState } from './job-state.js';
import { base64ToFloat64, float64ToBase64, type ParticipantState } from './participant-state.js';

/**
 * The next global model from a decrypted training sum, the same at every participant: plain FedAvg is
 * the strategy's own step; a server optimizer (training.serverOptimizer) steps from the average delta
 * and carries its state to the next round.
 */
export function applyTrainingSum(strategy: FederatedStrategy, job: JobSpec, state: JobState, training: TrainingSum): void {
  const current = state.globalWeights as Float32Array;
  const optimizer = job.training.serverOptimizer;
  if (!optimizer || optimizer.kind === 'fedavg') {
    state.globalWeights = strategy.nextGlobalWeights(current, training.weightedDeltaSum, training.totalSamples);
    return;
  }
  const delta = averageDelta(training.weightedDeltaSum, training.totalSamples);
  const step = serverOptimizerStep(optimizer, current, delta, state.serverOptimizer);
  delta.fill(0);
  state.globalWeights = step.weights;
  state.serverOptimizer = step.state;
}

/** The server optimizer's state as the saved state holds it (absent for fedavg). */
export function savedServerOptimizer(saved: ServerOptimizerState | undefined): Pick<ParticipantState, 'serverOptimizer'> {
  if (!saved) return {};
  return {
    serverOptimizer: {
      step: saved.step,
      momentum: float64ToBase64(saved.momentum),
      secondMoment: saved.secondMoment ? float64ToBase64(saved.secondMoment) : null,
    },
  };
}

/** A restarted node's server optimizer state, checked against the job's model size. */
export function restoreServerOptimizer(saved: Pick<ParticipantState, 'serverOptimizer'>, parameterCount: number, source: string): ServerOptimizerState | undefined {
  if (!saved.serverOptimizer) return undefined;
  const momentum = base64ToFloat64(saved.serverOptimizer.momentum, source);
  const secondMoment = saved.serverOptimizer.secondMoment === null ? undefined : base64ToFloat64(saved.serverOptimizer.secondMoment, source);
  if (momentum.length !== parameterCount || (secondMoment && secondMoment.length !== parameterCount)) {
    throw new ConfigError(`${source}: the saved server optimizer state has ${momentum.length} values, the job's model ${parameterCount}`);
  }
  return { step: saved.serverOptimizer.step, momentum, secondMoment };
}
