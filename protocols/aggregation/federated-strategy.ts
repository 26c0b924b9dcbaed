import type { CkksSession } from '../ckks/ckks-session.js';
import type { RoundKind } from '../wire/federation-messages.js';
import type { AggregateLayout, EncryptedSumAggregator } from './encrypted-sum-aggregator.js';

export interface RoundPlanInput {
  readonly round: number;
  readonly kind: RoundKind;
  readonly connected: readonly string[];
  readonly minParticipants: number;
  readonly roundDeadlineMs: number;
  readonly now: number;
}

export interface RoundPlan {
  readonly round: number;
  readonly kind: RoundKind;
  /** Who is asked to contribute this round. */
  readonly participants: readonly string[];
  /** Fewer contributions than this by the deadline fails the round. */
  readonly minContributions: number;
  readonly deadlineUnixMs: number;
}

/**
 * The seam for federated algorithms (after Flower's Strategy): a strategy configures a round and says
 * how contributions combine; the round loop that sends, waits and repeats lives in the coordinator.
 * Both halves only ever see ciphertexts on the coordinator; the participant half turns the decrypted
 * aggregate into the next global model.
 */
export interface FederatedStrategy {
  readonly name: string;
  configureRound(input: RoundPlanInput): RoundPlan;
  /** Coordinator side: accumulates contributions of one round, ciphertexts only. */
  createAggregator(session: CkksSession, layout: AggregateLayout, options?: { retainContributions?: boolean }): EncryptedSumAggregator;
  /** Participant side, before encryption: what a participant contributes for its local delta. */
  weightUpdate(delta: Float32Array, sampleCount: number): Float64Array;
  /** Participant side, after decryption: the next global weights. */
  nextGlobalWeights(current: Float32Array, decryptedSum: Float64Array, totalWeight: number): Float32Array;
}
