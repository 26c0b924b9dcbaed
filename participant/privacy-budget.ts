import { ConfigError } from '../protocols/errors.js';
import type { JobSpec } from '../protocols/job/job-spec.js';
import type { DifferentialPrivacySettings } from '../protocols/model/training-settings.js';
import { computeEpsilon, noiseMultiplierFor } from '../protocols/privacy/rdp-accountant.js';
import type { PrivacyPolicy } from './privacy-policy.js';

/**
 * What differential privacy costs this node in one job, from its own row count (training-settings.ts
 * names the mechanisms). Record-level DP-SGD: q = batchSize / rows, steps per round =
 * ⌈localEpochs · rows / batchSize⌉. Distributed (FedSGD): the same q, one step per round. Client-level
 * (DP-FedAvg): q = clientSampleRate (default 1: every node in every round), one step per round. z comes from the
 * job or, with `targetEpsilon`, is the smallest z that keeps the whole job at or below the target; ε at
 * this node's δ.
 */
export interface DpPlan {
  readonly mechanism: DifferentialPrivacySettings['mechanism'];
  /** z of the total noise (of the sum of `noiseShares` shares for the distributed mechanisms). */
  readonly noiseMultiplier: number;
  readonly clipNorm: number;
  readonly sampleRate: number;
  readonly stepsPerRound: number;
  /** Into how many shares the noise is split (Q = federation.minParticipants); 1 for record-level. */
  readonly noiseShares: number;
  /** δ at which this node states and bounds ε (its policy's, else the job's). */
  readonly delta: number;
  /** ε the whole job (every training round once) would cost this node, without collusion. */
  readonly jobEpsilon: number;
  /** The same with every other participant colluding (only this node's share, z/√Q, protects it). */
  readonly jobEpsilonIfOthersCollude: number;
  /** This node's budget at `delta`, when its policy sets one (checked against ε without collusion). */
  readonly maxEpsilon: number | undefined;
}

export function planDifferentialPrivacy(job: JobSpec, policy: PrivacyPolicy, rows: number): DpPlan | undefined {
  const dp = job.training.differentialPrivacy;
  if (!dp) return undefined;
  const { batchSize, localEpochs, rounds } = job.training;
  const distributed = dp.mechanism !== 'record-level';
  if (distributed && job.custody.mode !== 'threshold') {
    throw new ConfigError(`job ${job.jobId}: differentialPrivacy.mechanism ${dp.mechanism} splits the noise among participants and needs custody threshold (with ${job.custody.mode} custody single updates can be read); use mechanism record-level`);
  }
  if (dp.mechanism !== 'client-level' && batchSize > rows) throw new ConfigError(`job ${job.jobId}: DP-SGD needs batchSize (${batchSize}) at most this node's ${rows} rows (q = batchSize / rows ≤ 1)`);
  const sampleRate = dp.mechanism === 'client-level' ? (dp.clientSampleRate ?? 1) : batchSize / rows;
  const stepsPerRound = dp.mechanism === 'record-level' ? Math.ceil((localEpochs * rows) / batchSize) : 1;
  const noiseShares = distributed ? job.federation.minParticipants : 1;
  const delta = policy.delta ?? dp.delta;
  const steps = rounds * stepsPerRound;
  const noiseMultiplier = dp.noiseMultiplier ?? noiseMultiplierFor({ targetEpsilon: dp.targetEpsilon as number, delta: dp.delta, sampleRate, steps });
  const jobEpsilon = computeEpsilon({ noiseMultiplier, sampleRate, steps, delta });
  const jobEpsilonIfOthersCollude = noiseShares === 1 ? jobEpsilon : computeEpsilon({ noiseMultiplier: noiseMultiplier / Math.sqrt(noiseShares), sampleRate, steps, delta });
  return { mechanism: dp.mechanism, noiseMultiplier, clipNorm: dp.clipNorm, sampleRate, stepsPerRound, noiseShares, delta, jobEpsilon, jobEpsilonIfOthersCollude, maxEpsilon: policy.maxEpsilon };
}

/**
 * Refuses (ConfigError: the exit status of every privacy-policy refusal; nothing but the Join has
 * left) a job without DP when this node demands it, or one whose full cost exceeds its budget.
 */
export function assertJobWithinBudget(job: JobSpec, policy: PrivacyPolicy, plan: DpPlan | undefined): void {
  const refuse = (what: string): never => {
    throw new ConfigError(`job ${job.jobId} is weaker than this node's privacy policy: ${what}; refusing to take part`);
  };
  const demanded = policy.requireDifferentialPrivacy === true || policy.maxEpsilon !== undefined;
  if (!plan) {
    if (demanded) refuse(`it has no training.differentialPrivacy, and this node's privacy policy requires differential privacy${policy.maxEpsilon === undefined ? '' : ` (maxEpsilon ${policy.maxEpsilon})`}`);
    return;
  }
  if (plan.maxEpsilon !== undefined && plan.jobEpsilon > plan.maxEpsilon) {
    refuse(
      `its ${job.training.rounds} rounds of ${plan.mechanism} DP (z ${round4(plan.noiseMultiplier)}, C ${plan.clipNorm}, q ${round4(plan.sampleRate)} from this node's rows, ` +
        `${plan.stepsPerRound} steps per round) would cost ε ${round4(plan.jobEpsilon)} at δ ${plan.delta}, above privacy.maxEpsilon ${plan.maxEpsilon}`,
    );
  }
}

export function round4(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
