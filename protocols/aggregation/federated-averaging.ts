import { applyAggregate } from '../model/apply-aggregate.js';
import { weightUpdate } from '../model/weight-update.js';
import { EncryptedSumAggregator } from './encrypted-sum-aggregator.js';
import type { FederatedStrategy, RoundPlan, RoundPlanInput } from './federated-strategy.js';

/**
 * FedAvg (McMahan et al. 2017) over CKKS: every connected participant contributes Enc(n_i * delta_i)
 * and n_i; the coordinator sums ciphertexts; participants divide the decrypted sum by sum_i n_i.
 */
export const federatedAveraging: FederatedStrategy = {
  name: 'fedavg',
  configureRound(input: RoundPlanInput): RoundPlan {
    return {
      round: input.round,
      kind: input.kind,
      participants: [...input.connected].sort(),
      minContributions: input.minParticipants,
      deadlineUnixMs: input.now + input.roundDeadlineMs,
    };
  },
  createAggregator: (session, layout, options) => new EncryptedSumAggregator(session, layout, options),
  weightUpdate,
  nextGlobalWeights: applyAggregate,
};
