import type * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../protocols/errors.js';
import type { JobSpec } from '../protocols/job/job-spec.js';
import type { PrivacySpentFields } from '../protocols/ledger/privacy-spent.js';
import { computeEpsilon, RdpAccountant, type AccountantState } from '../protocols/privacy/rdp-accountant.js';
import { jobSha256 } from '../protocols/job/job-sha256.js';
import { accountantFileBeside, loadAccountantFile, saveAccountantFile } from './dp-accountant-file.js';
import { clientLevelUpdate, distributedGradientUpdate, type NoisyUpdate } from './distributed-noise-update.js';
import { trainDpSgd } from './model/train-dp-sgd.js';
import { trainLocally } from './model/train-locally.js';
import type { ParticipantNode, ParticipantPrivacy } from './participant-options.js';
import { assertJobWithinBudget, planDifferentialPrivacy, round4, type DpPlan } from './privacy-budget.js';
import { DEFAULT_PRIVACY_POLICY } from './privacy-policy.js';

/**
 * The seam between the round loop and how this node trains: chosen once at join from the job
 * (`training.differentialPrivacy`) and this node's privacy policy, so run-local-round.ts has no
 * DP branch. Plain local epochs, or one of the DP mechanisms (record-level DP-SGD, distributed noise
 * shares, client-level DP-FedAvg) with this node's own accountant.
 */
export interface LocalTrainer {
  train(input: LocalTrainerInput): Promise<LocalTrainerResult>;
  /** What the node's outcome and final log line state (ε spent, with its parameters); none without DP. */
  privacySummary(): ParticipantPrivacy | undefined;
  /** The accountant's history, saved with the node's state to rejoin after a restart; none without DP. */
  accountantState(): AccountantState | undefined;
}

export interface LocalTrainerInput {
  model: tf.Sequential;
  globalWeights: Float32Array;
  features: Float32Array;
  labels: Float32Array;
  rowCount: number;
  width: number;
  round: number;
}

export interface LocalTrainerResult {
  weights: Float32Array;
  sampleCount: number;
  /** The local loss that rides (weighted) inside the encrypted vector; 0 under DP (not released). */
  meanLoss: number;
  /**
   * The distributed mechanisms: the delta to send as is, already clipped and carrying this node's
   * noise share, with weight `sampleCount` = 1 (run-local-round.ts neither re-clips nor re-weights it).
   */
  update?: Float64Array;
}

/** Raised before a round that would take this node's ε above its maxEpsilon: it leaves the job. */
export class PrivacyBudgetError extends ConfigError {}

/**
 * The trainer for this job at this node: refuses (ConfigError, reported through onRefusal) a job
 * that its policy forbids; `saved` restores the accountant of a restarted node.
 */
export async function chooseLocalTrainer(node: ParticipantNode, job: JobSpec, rows: number, saved?: AccountantState): Promise<LocalTrainer> {
  const policy = node.options.privacy ?? DEFAULT_PRIVACY_POLICY;
  let plan: DpPlan | undefined;
  try {
    plan = planDifferentialPrivacy(job, policy, rows);
    assertJobWithinBudget(job, policy, plan);
  } catch (error) {
    node.options.onRefusal?.('JobRefused', error instanceof Error ? error.message : String(error));
    throw error;
  }
  if (!plan) return plainTrainer(node, job);
  node.logger.info(
    { mechanism: plan.mechanism, noiseMultiplier: round4(plan.noiseMultiplier), clipNorm: plan.clipNorm, sampleRate: round4(plan.sampleRate), stepsPerRound: plan.stepsPerRound, jobEpsilon: round4(plan.jobEpsilon), delta: plan.delta, maxEpsilon: plan.maxEpsilon ?? 'none' },
    `differential privacy: ${plan.mechanism}; ε this job costs this node${plan.noiseShares > 1 ? ` (and with every other participant colluding: ${round4(plan.jobEpsilonIfOthersCollude)})` : ''}`,
  );
  // The accountant file is written after every DP round; the saved state only after every applied one.
  const file = node.options.stateFile ? accountantFileBeside(node.options.stateFile) : undefined;
  const restored = (file ? await loadAccountantFile(file, jobSha256(job)) : undefined) ?? saved;
  return new DpTrainer(node, job, plan, restored ? RdpAccountant.fromJSON(restored) : new RdpAccountant(), file);
}

function plainTrainer(node: ParticipantNode, job: JobSpec): LocalTrainer {
  return {
    train: (input) =>
      trainLocally({
        ...input,
        settings: job.training,
        onEpochEnd: (epoch) => node.options.onProgress?.({ type: 'training-epoch', round: input.round, epoch, epochs: job.training.localEpochs }),
      }),
    privacySummary: () => undefined,
    accountantState: () => undefined,
  };
}

class DpTrainer implements LocalTrainer {
  constructor(
    private readonly node: ParticipantNode,
    private readonly job: JobSpec,
    private readonly plan: DpPlan,
    private readonly accountant: RdpAccountant,
    private readonly accountantFile: string | undefined,
  ) {}

  async train(input: LocalTrainerInput): Promise<LocalTrainerResult> {
    const { plan, accountant, node } = this;
    const event = { noiseMultiplier: plan.noiseMultiplier, sampleRate: plan.sampleRate };
    if (plan.maxEpsilon !== undefined && accountant.wouldExceed(event, plan.stepsPerRound, plan.maxEpsilon, plan.delta)) {
      const after = RdpAccountant.fromJSON(accountant.toJSON());
      after.step(event, plan.stepsPerRound);
      const message =
        `privacy budget: round ${input.round} would take ε from ${round4(accountant.getEpsilon(plan.delta))} to ${round4(after.getEpsilon(plan.delta))} at δ ${plan.delta}, ` +
        `above privacy.maxEpsilon ${plan.maxEpsilon}; this node stops contributing and leaves the job`;
      node.logger.warn({ round: input.round, epsilon: round4(accountant.getEpsilon(plan.delta)), maxEpsilon: plan.maxEpsilon }, message);
      throw new PrivacyBudgetError(message);
    }
    node.options.onProgress?.({ type: 'training-epoch', round: input.round, epoch: 0, epochs: this.job.training.localEpochs });
    const result = await this.run(input);
    accountant.step(event, result.steps);
    node.options.onProgress?.({ type: 'training-epoch', round: input.round, epoch: this.job.training.localEpochs, epochs: this.job.training.localEpochs });
    const summary = this.privacySummary();
    const fields: PrivacySpentFields = {
      round: input.round,
      mechanism: summary.mechanism,
      epsilon: summary.epsilon,
      delta: summary.delta,
      ...(summary.maxEpsilon === undefined ? {} : { maxEpsilon: summary.maxEpsilon }),
      noiseMultiplier: summary.noiseMultiplier,
      clipNorm: summary.clipNorm,
      sampleRate: summary.sampleRate,
      steps: summary.steps,
      roundSteps: result.steps,
      ...(summary.epsilonIfOthersCollude === undefined ? {} : { epsilonIfOthersCollude: summary.epsilonIfOthersCollude, noiseShares: plan.noiseShares }),
    };
    if (this.accountantFile) await saveAccountantFile(this.accountantFile, jobSha256(this.job), accountant.toJSON());
    // In the signed ledger before the update that spends it leaves (the CLI's onPrivacySpent).
    node.options.onPrivacySpent?.(fields);
    node.logger.info({ round: input.round, epsilon: round4(summary.epsilon), delta: summary.delta, steps: summary.steps }, 'differential privacy: ε spent so far');
    // The local loss is a function of the rows that DP does not cover: it is not released.
    return { weights: result.weights ?? input.globalWeights, sampleCount: result.sampleCount, meanLoss: 0, ...(result.update ? { update: result.update } : {}) };
  }

  /** One round of this node's mechanism; the accountant records `steps` steps of (z, q) after it. */
  private async run(input: LocalTrainerInput): Promise<Partial<NoisyUpdate> & { steps: number; sampleCount: number; weights?: Float32Array }> {
    const { plan, job } = this;
    const shares = { noiseMultiplier: plan.noiseMultiplier, clipNorm: plan.clipNorm, noiseShares: plan.noiseShares };
    if (plan.mechanism === 'distributed') return { ...distributedGradientUpdate(input, shares, job.training), sampleCount: 1 };
    if (plan.mechanism === 'client-level') return { ...(await clientLevelUpdate(input, { ...shares, sampleRate: plan.sampleRate }, job.training)), sampleCount: 1 };
    const result = trainDpSgd({ ...input, settings: job.training, privacy: { noiseMultiplier: plan.noiseMultiplier, clipNorm: plan.clipNorm, delta: plan.delta } });
    return { weights: result.weights, sampleCount: result.sampleCount, steps: result.steps };
  }

  privacySummary(): ParticipantPrivacy {
    const { plan, accountant } = this;
    const steps = accountant.toJSON().history.reduce((total, event) => total + event.steps, 0);
    const epsilon = steps === 0 ? 0 : accountant.getEpsilon(plan.delta);
    // Every event of a job has the same (z, q): with Q − 1 colluders the same steps at z/√Q.
    const epsilonIfOthersCollude =
      plan.noiseShares === 1 ? undefined : steps === 0 ? 0 : computeEpsilon({ noiseMultiplier: plan.noiseMultiplier / Math.sqrt(plan.noiseShares), sampleRate: plan.sampleRate, steps, delta: plan.delta });
    return {
      mechanism: plan.mechanism,
      epsilon,
      delta: plan.delta,
      maxEpsilon: plan.maxEpsilon,
      noiseMultiplier: plan.noiseMultiplier,
      clipNorm: plan.clipNorm,
      sampleRate: plan.sampleRate,
      steps,
      ...(epsilonIfOthersCollude === undefined ? {} : { epsilonIfOthersCollude, noiseShares: plan.noiseShares }),
    };
  }

  accountantState(): AccountantState {
    return this.accountant.toJSON();
  }
}
