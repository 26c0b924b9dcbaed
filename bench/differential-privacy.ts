import { bankMarketingDataAvailable, bankMarketingDataPath } from '../examples/bank-marketing/bank-marketing-data.js';
import type { ParticipantOutcome } from '../participant/participant.js';
import { jobSpecSchema, type JobSpec } from '../protocols/job/job-spec.js';
import { renderDpChartSvg } from './differential-privacy-chart.js';
import { describeFederationData, runInMemoryFederation, withBankDemoSplit, type FederationData } from './in-memory-bank-federation.js';

/**
 * `--only dp`: held-out AUC against ε on the bank-marketing demo split (issue #17). Each federation
 * is the product's Coordinator and Participants in this process over InMemoryFederationConnection,
 * custody none (HE changes nothing but CKKS noise, see the convergence section), logistic regression,
 * `training.differentialPrivacy` record-level DP-SGD in every participant at each noise multiplier;
 * every institution reports its own ε (q = batchSize / its rows) at δ = 1e-5.
 */
export type DpVariant = (({ readonly noiseMultiplier: number } | { readonly targetEpsilon: number }) & DistributedSettings) | null;

/**
 * The mechanisms that split the noise under threshold HE (custody threshold instead of none): FedSGD
 * takes one gradient step per round, so it gets its own rounds and step size.
 */
interface DistributedSettings {
  readonly mechanism?: 'distributed' | 'client-level';
  readonly rounds?: number;
  readonly learningRate?: number;
}

/**
 * No DP, four fixed noise multipliers, the issue's target (each node picks its own z for ε ≤ 2.5), then
 * the two distributed mechanisms under threshold custody: record-level FedSGD (60 rounds, step 5) and
 * client-level DP-FedAvg at z = 1 (to show what ε it reaches with three institutions).
 */
export const DP_VARIANTS: readonly DpVariant[] = [
  null,
  { noiseMultiplier: 0.8 },
  { noiseMultiplier: 1.0 },
  { noiseMultiplier: 1.5 },
  { noiseMultiplier: 2.0 },
  { targetEpsilon: 2.5 },
  { mechanism: 'distributed', noiseMultiplier: 1, rounds: 60, learningRate: 5 },
  { mechanism: 'client-level', noiseMultiplier: 1 },
];
export const DP_DELTA = 1e-5;

export interface DpBenchOptions {
  readonly rounds: number;
  /** Rows per institution (every 7th of its share); 0 = each institution's whole share (the demo's split). */
  readonly rowsPerInstitution: number;
  readonly variants: readonly DpVariant[];
}

export interface DpBenchRun {
  /** null: no DP (plain local training, same settings). */
  readonly variant: DpVariant;
  /** Per institution: the z it trained with (the job's, or its own for a targetEpsilon). */
  readonly noiseMultiplier: Readonly<Record<string, number | null>>;
  /** Per institution: the ε it accounted for its own rows after the job (null without DP). */
  readonly epsilon: Readonly<Record<string, number | null>>;
  /** Distributed mechanisms: per institution, ε with every other participant colluding. */
  readonly epsilonIfOthersCollude?: Readonly<Record<string, number | null>>;
  readonly sampleRate: Readonly<Record<string, number | null>>;
  readonly steps: Readonly<Record<string, number | null>>;
  /** The federated held-out AUC after each training round, and after the last. */
  readonly aucs: readonly (number | null)[];
  readonly finalAuc: number | null;
  readonly wallSeconds: number;
}

export type DpBenchResult =
  | { readonly status: 'skipped'; readonly reason: string }
  | {
      readonly status: 'measured';
      readonly dataset: string;
      readonly rowsPerInstitution: Readonly<Record<string, number>>;
      readonly evaluationRows: number;
      readonly delta: number;
      readonly training: JobSpec['training'];
      readonly runs: readonly DpBenchRun[];
      /** AUC against ε as an SVG line chart (`npm run bench` also writes it beside the JSON). */
      readonly chartSvg: string;
    };

/** The recipe of the issue's NumPy check: batches of 256, C = 1, one local epoch per round, FedAvg. */
const TRAINING = { localEpochs: 1, batchSize: 256, learningRate: 0.01, optimizer: 'adam', seed: 42 } as const;

export type DpData = FederationData;

function jobFor(data: DpData, rounds: number, variant: DpVariant, index: number): JobSpec {
  const ids = data.institutions.map((institution) => institution.id);
  const { rounds: ownRounds, learningRate, ...privacy } = variant ?? {};
  const split = variant?.mechanism !== undefined;
  return jobSpecSchema.parse({
    jobId: `bench-dp-${index}`,
    model: { kind: 'logistic-regression' },
    features: data.features,
    training: {
      rounds: ownRounds ?? rounds,
      ...TRAINING,
      ...(learningRate === undefined ? {} : { learningRate }),
      ...(variant === null ? {} : { differentialPrivacy: { ...privacy, clipNorm: 1, delta: DP_DELTA } }),
    },
    federation: { participants: ids, minParticipants: ids.length, roundDeadlineSeconds: 600, joinDeadlineSeconds: 120 },
    // The distributed mechanisms need threshold custody (their noise shares are only summed under HE).
    custody: split ? { mode: 'threshold' } : { mode: 'none' },
  });
}

export async function runDpTradeoff(data: DpData, options: DpBenchOptions, onProgress: (line: string) => void): Promise<Extract<DpBenchResult, { status: 'measured' }>> {
  const runs: DpBenchRun[] = [];
  for (const [index, variant] of options.variants.entries()) {
    onProgress(`dp: ${describeVariant(variant)}${variant?.rounds === undefined ? `, ${options.rounds} rounds` : ''}`);
    const job = jobFor(data, options.rounds, variant, index);
    const { report, outcomes, wallSeconds } = await runInMemoryFederation(job, data);
    const aucs = report.rounds.filter((round) => round.kind === 'training').map((round) => round.heldOutAuc);
    const per = <T>(pick: (outcome: ParticipantOutcome) => T | null): Record<string, T | null> =>
      Object.fromEntries(data.institutions.map(({ id }, at) => [id, outcomes[at] ? pick(outcomes[at] as ParticipantOutcome) : null]));
    runs.push({
      variant,
      noiseMultiplier: per((outcome) => outcome.privacy?.noiseMultiplier ?? null),
      epsilon: per((outcome) => outcome.privacy?.epsilon ?? null),
      ...(variant?.mechanism === undefined ? {} : { epsilonIfOthersCollude: per((outcome) => outcome.privacy?.epsilonIfOthersCollude ?? null) }),
      sampleRate: per((outcome) => outcome.privacy?.sampleRate ?? null),
      steps: per((outcome) => outcome.privacy?.steps ?? null),
      aucs,
      finalAuc: aucs.at(-1) ?? null,
      wallSeconds,
    });
  }
  return {
    status: 'measured',
    ...(await describeFederationData(data)),
    delta: DP_DELTA,
    training: jobFor(data, options.rounds, { noiseMultiplier: 1 }, 0).training,
    runs,
    chartSvg: renderDpChartSvg(runs, data.institutions.map((institution) => institution.id), DP_DELTA),
  };
}

export async function measureDifferentialPrivacy(options: DpBenchOptions, onProgress: (line: string) => void): Promise<DpBenchResult> {
  if (!bankMarketingDataAvailable) return { status: 'skipped', reason: `bank-marketing data not found at ${bankMarketingDataPath}` };
  return withBankDemoSplit(options.rowsPerInstitution, (data) => runDpTradeoff(data, options, onProgress));
}

export function describeVariant(variant: DpVariant): string {
  if (variant === null) return 'no DP';
  const noise = 'noiseMultiplier' in variant ? `z = ${variant.noiseMultiplier}` : `targetEpsilon ${variant.targetEpsilon} (z per node)`;
  const own = `${variant.rounds === undefined ? '' : `, ${variant.rounds} round${variant.rounds === 1 ? '' : 's'}`}${variant.learningRate === undefined ? '' : `, step ${variant.learningRate}`}`;
  if (variant.mechanism === 'distributed') return `distributed FedSGD ${noise}, C = 1${own}`;
  if (variant.mechanism === 'client-level') return `client-level DP-FedAvg ${noise}, C = 1${own}`;
  return `DP-SGD ${noise}, C = 1`;
}
