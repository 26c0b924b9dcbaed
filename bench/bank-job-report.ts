import type { BankJobResult, BankJobRun, BankJobStages } from './bank-job-end-to-end.js';
import type { Figure } from './figures.js';
import { formatBytes, formatFigure, formatRatio, formatSeconds, type Table } from './format-table.js';

const cell = formatFigure;
const milliseconds = (value: number): string => formatSeconds(value / 1000);

const STAGES: readonly [keyof BankJobStages, string][] = [
  ['localTrainingMs', 'participant: local training (tfjs, 1 epoch) + update vector'],
  ['encryptionMs', 'participant: encryption (time the streaming upload waited on it)'],
  ['uploadMs', 'participant: upload, the rest (transfer to the receipt)'],
  ['collectMs', 'coordinator: round announced → last update in (the three above, slowest node)'],
  ['aggregationMs', '  coordinator: adding chunks to the sum (overlaps the upload)'],
  ['finalizeMs', 'coordinator: serializing the sum'],
  ['publishMs', 'coordinator: publishing the sum (threshold: joint decryption)'],
  ['decryptionSharesMs', '  joint decryption: request → every share in'],
  ['shareFetchMs', '    each node: fetching the aggregate'],
  ['shareVerifyMs', '    each node: checks + verifyAggregate (re-summing the signed contributions)'],
  ['shareComputeMs', '    each node: its partial decryption (worker pool)'],
  ['shareSubmitMs', '    each node: sending its share'],
  ['combineMs', '  joint decryption: combining the shares + decoding'],
  ['evaluationMs', 'federated evaluation of the new model (ROC counts, encrypted, decrypted)'],
  ['totalMs', 'whole training round (coordinator)'],
];

function stageCell(value: Figure | null): string {
  return value ? cell(value, milliseconds) : '-';
}

function share(stage: Figure | null, total: Figure | null): string {
  return stage && total ? `${((100 * stage.median) / total.median).toFixed(0)} %` : '-';
}

/** Where a training round's time goes, threshold CKKS against custody none, stage by stage. */
export function bankJobStagesTable(title: string, job: BankJobResult | null, repeat: number, { showSkipped = true } = {}): Table | undefined {
  if (!job) return undefined;
  if (job.status !== 'measured') return showSkipped ? { title, headers: ['what', ''], rows: [['bank job', `skipped: ${job.reason}`]] } : undefined;
  const { encrypted, plaintext } = job;
  const loads = (run: BankJobRun): string => run.loadAverageBeforeJobs.map((load) => (load[0] as number).toFixed(2)).join(', ');
  const rows: string[][] = STAGES.map(([key, label]) => [
    label,
    stageCell(encrypted.stages[key]),
    share(encrypted.stages[key], encrypted.stages.totalMs),
    stageCell(plaintext.stages[key]),
    share(plaintext.stages[key], plaintext.stages.totalMs),
    encrypted.stages[key] && plaintext.stages[key] && (plaintext.stages[key] as Figure).median > 0
      ? formatRatio((encrypted.stages[key] as Figure).median / (plaintext.stages[key] as Figure).median)
      : '-',
  ]);
  rows.push(
    ['WHOLE ROUND, RoundSummary.seconds', cell(encrypted.trainingRoundSeconds, formatSeconds), '', cell(plaintext.trainingRoundSeconds, formatSeconds), '', cell(job.encryptedOverPlaintext, formatRatio)],
    ['bytes received per training round', cell(encrypted.bytesReceivedPerTrainingRound, formatBytes), '', cell(plaintext.bytesReceivedPerTrainingRound, formatBytes), '', ''],
    ['held-out AUC after the last round', cell(encrypted.finalHeldOutAuc, (value) => value.toFixed(4)), '', cell(plaintext.finalHeldOutAuc, (value) => value.toFixed(4)), '', ''],
  );
  const rowsText = job.rowsPerInstitution > 0 ? `${job.rowsPerInstitution} rows per institution` : 'whole institution shares';
  return {
    title: `${title}: ${job.modelParameters.toLocaleString('en-US')} params (hidden layers ${job.hiddenLayers.length > 0 ? job.hiddenLayers.join(' + ') : 'none'}), 3 participant processes + coordinator, ${rowsText}, ${job.trainingRounds} training rounds (median [min–max] over every training round of ${repeat} run${repeat === 1 ? '' : 's'})`,
    headers: ['stage', 'threshold CKKS', 'share', 'custody none', 'share', 'threshold / none'],
    rows,
    notes: [
      "stage times: the product's own log lines (participant 'round stage times', coordinator 'round phase times' and 'joint decryption times'), read from",
      '  the launcher\'s log files; participant stages are the mean of the 3 participants. The participant stages run inside "round announced → last update in";',
      '  aggregation runs inside it too (chunks are added as they arrive). Rounds include the first (cold tfjs, worker pool start).',
      `1-minute load average before each job: threshold ${loads(encrypted)}; none ${loads(plaintext)} (2 cores shared with other work).`,
    ],
  };
}
