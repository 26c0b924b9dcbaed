import { featureNames } from '../protocols/data/feature-names.js';
import type { JobSpec } from '../protocols/job/job-spec.js';
import type { SoftwareVersions } from '../protocols/wire/software-versions.js';

/** The per-round figures a report shows (a subset of the coordinator's round summaries). */
export interface ReportRound {
  readonly round: number;
  readonly kind: 'statistics' | 'training';
  readonly contributors: readonly string[];
  readonly meanLocalLoss: number | null;
  readonly heldOutAuc: number | null;
  readonly bytesReceived: number;
  readonly seconds: number;
}

export interface ModelCardInput {
  readonly job: JobSpec;
  readonly rounds: readonly ReportRound[];
  readonly participants: readonly { readonly id: string; readonly sampleCount: number | null }[];
  readonly finalAuc: number | null;
  readonly baselineAuc?: number | null;
  readonly dataset?: string;
  readonly ckksParametersFingerprint: string;
  readonly generatedAt: string;
  /** What ran the job (the coordinator's report has them); the card names them when given. */
  readonly versions?: SoftwareVersions;
}

const format = (value: number | null | undefined, digits = 4): string => (value === null || value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits));

/** A Markdown model card: data schema, participants, rounds, metrics, HE parameters, custody, privacy. */
export function renderModelCard(input: ModelCardInput): string {
  const { job } = input;
  const model = job.model.kind === 'logistic-regression' ? 'logistic regression' : `dense network, hidden layers ${job.model.hiddenLayers.map((layer) => `${layer.units} ${layer.activation}`).join(', ')}, sigmoid output`;
  const training = input.rounds.filter((round) => round.kind === 'training');
  const lines = [
    `# Model card: ${job.jobId}`,
    '',
    `Generated ${input.generatedAt} by HEFL.${input.dataset ? ` Data: ${input.dataset}.` : ''}`,
    '',
    '## Model',
    `- ${model}; ${featureNames(job.features).length} input features; binary label \`${job.features.label.column}\` (positive: \`${job.features.label.positive}\`).`,
    `- Held-out AUC of the final federated model: **${format(input.finalAuc)}**${input.baselineAuc !== undefined ? `; centralized baseline (same code, pooled data): ${format(input.baselineAuc)}` : ''}.`,
    // The coordinator never sees the weights in the clear: each participant writes them beside its model.
    `- Each participant's \`model/\` folder holds the model (tfjs and \`model.onnx\`, preprocessing inside)${job.model.kind === 'logistic-regression' ? ' and its coefficient table, `coefficients.md` (per standardized and per original unit)' : ''}.`,
    '',
    '## Data schema',
    `- Numeric (standardized with federated means and standard deviations): ${job.features.numeric.map((name) => `\`${name}\``).join(', ') || 'none'}`,
    `- Categorical (one-hot): ${job.features.categorical.map((column) => `\`${column.name}\` (${column.categories.length})`).join(', ') || 'none'}`,
    `- Ignored: ${job.features.ignored.map((name) => `\`${name}\``).join(', ') || 'none'}`,
    '',
    '## Participants',
    '| participant | training rows |',
    '|---|---|',
    ...input.participants.map((participant) => `| ${participant.id} | ${participant.sampleCount ?? '-'} |`),
    '',
    '## Training',
    `- ${training.length < job.training.rounds ? `${training.length} of ${job.training.rounds}` : job.training.rounds} rounds${job.training.stopAfterRoundsWithoutImprovement ? ` (ending early after ${job.training.stopAfterRoundsWithoutImprovement} without a better federated AUC)` : ''} of ${serverStep(job.training)}${job.training.fedProx && job.training.fedProx.mu > 0 ? ` with FedProx (μ ${job.training.fedProx.mu})` : ''}, ${job.training.localEpochs} local epoch(s), batch ${job.training.batchSize}, ${job.training.optimizer} at ${job.training.learningRate}, seed ${job.training.seed}${job.training.clipNorm > 0 ? `, updates clipped to L2 norm ${job.training.clipNorm}` : ''}.`,
    '',
    '| round | participants | mean local loss | held-out AUC | bytes received | seconds |',
    '|---|---|---|---|---|---|',
    ...training.map((round) => `| ${round.round} | ${round.contributors.length} | ${format(round.meanLocalLoss)} | ${format(round.heldOutAuc)} | ${round.bytesReceived} | ${round.seconds.toFixed(2)} |`),
    '',
    'Charts: `auc.svg` (held-out AUC per round) and `loss.svg` (mean local loss per round); every round, round 0 included, in `rounds.csv`.',
    '',
    '## Homomorphic encryption and key custody',
    `- CKKS (Microsoft SEAL via node-seal): N = ${job.ckks.polyModulusDegree}, coefficient primes ${job.ckks.coeffModulusBits.join('+')} bits, scale 2^${job.ckks.scaleBits}; 128-bit security checked by SEAL. Parameters fingerprint \`${input.ckksParametersFingerprint}\`.`,
    job.custody.mode === 'threshold'
      ? `- Key custody: N-of-N threshold CKKS with a dealer-free key; no single party can decrypt an individual update. Partial decryptions are flooded with noise of sigma 2^${job.custody.smudgingSigmaBits}; verifyAggregate is ${job.custody.verifyAggregate ? 'on' : 'off'}.`
      : job.custody.mode === 'single-key'
        ? '- Key custody: single key made offline; the coordinator holds the public key only; every participant holds the secret key.'
        : '- **Custody none: homomorphic encryption was switched off.** Every update travelled as float32 and the coordinator saw each one (a benchmark baseline, not a private run).',
    '',
    '## Privacy',
    job.custody.mode === 'none'
      ? '- **Updates left the participants unencrypted** (custody none); each node\'s egress log records them as plaintext and an audit fails on them.'
      : '- Only CKKS ciphertexts and bounded metadata (sample counts, local loss, evaluation metrics) left the participants; each node keeps an egress log.',
    '- The decrypted aggregate of each round is the sum of all weighted updates; with N-1 colluding parties it reveals the last party\'s update. No differential privacy was applied.',
    '',
    ...(input.versions
      ? [
          '## Software',
          `- HEFL ${input.versions.hefl ?? 'unknown'}, wire protocol ${input.versions.protocol}, Node ${input.versions.node}, node-seal ${input.versions.nodeSeal ?? 'unknown'}, tfjs ${input.versions.tfjs ?? 'unknown'}.`,
          '',
        ]
      : []),
  ];
  return lines.join('\n');
}

/** The server step of the job, as the model card names it. */
function serverStep(training: JobSpec['training']): string {
  const optimizer = training.serverOptimizer;
  if (!optimizer || optimizer.kind === 'fedavg') return 'FedAvg';
  if (optimizer.kind === 'fedavgm') return `FedAvgM (server learning rate ${optimizer.learningRate}, momentum ${optimizer.momentum})`;
  const name = { fedadagrad: 'FedAdagrad', fedadam: 'FedAdam', fedyogi: 'FedYogi' }[optimizer.kind];
  return `${name} (server learning rate ${optimizer.learningRate}, β1 ${optimizer.beta1}, β2 ${optimizer.beta2}, τ ${optimizer.tau})`;
}
