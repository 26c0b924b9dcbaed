import { featureNames } from '../protocols/data/feature-names.js';
import { decryptionThreshold, usesTofnCustody, type JobSpec } from '../protocols/job/job-spec.js';
import { computeEpsilon } from '../protocols/privacy/rdp-accountant.js';
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
  /**
   * Differential privacy: the ε each participant reported for its own rows (its outcome, or its
   * ledger's last PrivacySpent record); the card computes it from the job and the node's row count
   * where one is known and none is reported, and otherwise points to the node's ledger.
   */
  readonly privacyByParticipant?: Readonly<Record<string, ReportedPrivacy>>;
  /** What ran the job (the coordinator's report has them); the card names them when given. */
  readonly versions?: SoftwareVersions;
}

export interface ReportedPrivacy {
  readonly epsilon: number;
  readonly delta: number;
  readonly noiseMultiplier: number;
  readonly sampleRate: number;
  readonly steps: number;
  /** Distributed mechanisms: ε with every other participant colluding. */
  readonly epsilonIfOthersCollude?: number;
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
    job.custody.mode === 'threshold' && usesTofnCustody(job)
      ? `- Key custody: t-of-N threshold CKKS (t = ${decryptionThreshold(job)} of ${job.federation.participants.length}) with a dealer-free key reshared at setup; any ${decryptionThreshold(job)} participants together could decrypt an individual update (collusion bound ${(decryptionThreshold(job) as number) - 1}), each round was decrypted by a committee of ${decryptionThreshold(job)}. Partial decryptions are flooded with noise of sigma 2^${job.custody.smudgingSigmaBits}; verifyAggregate is on.`
      : job.custody.mode === 'threshold'
        ? `- Key custody: N-of-N threshold CKKS with a dealer-free key; no single party can decrypt an individual update. Partial decryptions are flooded with noise of sigma 2^${job.custody.smudgingSigmaBits}; verifyAggregate is ${job.custody.verifyAggregate ? 'on' : 'off'}.`
        : job.custody.mode === 'single-key'
          ? '- Key custody: single key made offline; the coordinator holds the public key only; every participant holds the secret key.'
          : '- **Custody none: homomorphic encryption was switched off.** Every update travelled as float32 and the coordinator saw each one (a benchmark baseline, not a private run).',
    '',
    '## Privacy',
    job.custody.mode === 'none'
      ? '- **Updates left the participants unencrypted** (custody none); each node\'s egress log records them as plaintext and an audit fails on them.'
      : '- Only CKKS ciphertexts and bounded metadata (sample counts, local loss, evaluation metrics) left the participants; each node keeps an egress log.',
    ...privacyLines(input),
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

/** The card's differential-privacy lines: mechanism, C, z, q, steps and ε per institution, and what ε does not cover. */
function privacyLines(input: ModelCardInput): string[] {
  const { job } = input;
  const dp = job.training.differentialPrivacy;
  if (!dp) return ['- The decrypted aggregate of each round is the sum of all weighted updates; with N-1 colluding parties it reveals the last party\'s update. No differential privacy was applied.'];
  const { batchSize, localEpochs, rounds } = job.training;
  const shares = dp.mechanism === 'record-level' ? 1 : job.federation.minParticipants;
  const split = shares > 1;
  const zText = dp.noiseMultiplier !== undefined ? `z = ${dp.noiseMultiplier}` : `z chosen by each node for ε ≤ ${dp.targetEpsilon} over the whole job${split ? ' without collusion' : ''}`;
  const colluding = (reported: number | undefined) => (split ? ` ${format(reported, 3)} |` : '');
  const rows = input.participants.map(({ id, sampleCount }) => {
    const reported = input.privacyByParticipant?.[id];
    if (reported) return `| ${id} | ${format(reported.noiseMultiplier, 4)} | ${format(reported.sampleRate, 5)} | ${reported.steps} | **${format(reported.epsilon, 3)}** |${colluding(reported.epsilonIfOthersCollude)} ${reported.delta} | reported by the node |`;
    const known = dp.mechanism === 'client-level' || (sampleCount !== null && sampleCount >= batchSize);
    if (known && dp.noiseMultiplier !== undefined) {
      const sampleRate = dp.mechanism === 'client-level' ? (dp.clientSampleRate ?? 1) : batchSize / (sampleCount as number);
      const steps = dp.mechanism === 'record-level' ? rounds * Math.ceil((localEpochs * (sampleCount as number)) / batchSize) : rounds;
      const epsilonAt = (noiseMultiplier: number) => computeEpsilon({ noiseMultiplier, sampleRate, steps, delta: dp.delta });
      const source = dp.mechanism === 'client-level' ? 'computed from the job (every round once)' : 'computed from its row count (every round once)';
      return `| ${id} | ${dp.noiseMultiplier} | ${format(sampleRate, 5)} | ${steps} | ${format(epsilonAt(dp.noiseMultiplier), 3)} |${colluding(epsilonAt(dp.noiseMultiplier / Math.sqrt(shares)))} ${dp.delta} | ${source} |`;
    }
    return `| ${id} | ${dp.noiseMultiplier ?? `for ε ≤ ${dp.targetEpsilon}`} | ${dp.mechanism === 'client-level' ? 1 : `${batchSize}/rows`} | - | - |${split ? ' - |' : ''} - | in its signed ledger (\`hefl audit verify\`) |`;
  });
  const header = split
    ? ['| participant | z | q | steps | ε (no collusion) | ε (all others collude) | δ | source |', '|---|---|---|---|---|---|---|---|']
    : ['| participant | z | q | steps | ε | δ | source |', '|---|---|---|---|---|---|---|'];
  return [
    mechanismLine(job, shares, zText),
    '',
    ...header,
    ...rows,
    '',
    '- **Not covered by ε**: the round-0 standardization statistics (per-column sums, sums of squares and row counts, decrypted exactly as a federation-wide sum), each node\'s row count, and the evaluation rounds\' ROC counts on held-out rows. Under DP the local training loss is not released (sent as 0).',
  ];
}

function mechanismLine(job: JobSpec, shares: number, zText: string): string {
  const dp = job.training.differentialPrivacy;
  const { batchSize } = job.training;
  if (!dp || dp.mechanism === 'record-level') {
    return `- **Differential privacy: record-level DP-SGD** in every participant (Abadi et al. 2016): each step trains on a Poisson sample of the node's rows with rate q = batch ${batchSize} / its rows, clips each example's gradient to L2 norm C = ${dp?.clipNorm} and adds Gaussian noise of std z·C (${zText}), sampled exactly from a CSPRNG. Each node accounts its own ε (RDP, Balle et al. 2020 conversion) from its q, z and steps = rounds × ⌈epochs · rows / batch⌉; the guarantee holds for each customer's row against the coordinator and all other participants together, and covers every model released from the training rounds.`;
  }
  const shareText = `each participant adds only its share of the noise, an exact discrete Gaussian of std z·C/√${shares} from a CSPRNG (Q = ${shares}, the quorum), before encryption, so only the decrypted sum of at least ${shares} contributions carries noise of std z·C (${zText})`;
  const collusion = `The table states ε twice: without collusion (threshold custody: no single contribution is decrypted), and with the coordinator and all other participants colluding, when only the node's own share protects it (z/√${shares}). ε without collusion treats the CKKS encoding of each share (rounding ~2^-40 of a value) as negligible.`;
  if (dp.mechanism === 'distributed') {
    return `- **Differential privacy: record-level, distributed noise** (FedSGD; design note M2): each round every participant computes one sum of per-example gradients over a Poisson sample of its rows (q = batch ${batchSize} / its rows), each clipped to L2 norm C = ${dp.clipNorm}; ${shareText}. One step per round, accounted per node (RDP, Balle et al. 2020 conversion). ${collusion}`;
  }
  return `- **Differential privacy: client-level DP-FedAvg** (McMahan et al. 2018): each participant's whole update after its local epochs is clipped to L2 norm C = ${dp.clipNorm} and sent with weight 1; ${shareText}. ${dp.clientSampleRate === undefined || dp.clientSampleRate === 1 ? 'Every listed participant takes part in every round (sampling rate q = 1)' : `Each participant's update joins a round's sum with probability q = ${dp.clientSampleRate}, by a secret CSPRNG coin (it sends its noise share either way; the share is scaled by 1/q)`}; one accounted step per round. ε protects a whole institution's contribution and is meaningful only for federations of many participants: with a handful, the noise the ε needs swamps the update. ${collusion}`;
}

/** The server step of the job, as the model card names it. */
function serverStep(training: JobSpec['training']): string {
  const optimizer = training.serverOptimizer;
  if (!optimizer || optimizer.kind === 'fedavg') return 'FedAvg';
  if (optimizer.kind === 'fedavgm') return `FedAvgM (server learning rate ${optimizer.learningRate}, momentum ${optimizer.momentum})`;
  const name = { fedadagrad: 'FedAdagrad', fedadam: 'FedAdam', fedyogi: 'FedYogi' }[optimizer.kind];
  return `${name} (server learning rate ${optimizer.learningRate}, β1 ${optimizer.beta1}, β2 ${optimizer.beta2}, τ ${optimizer.tau})`;
}
