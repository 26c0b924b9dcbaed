import type { BenchReport } from './bench-report.js';
import { describeVariant, type DpBenchResult } from './differential-privacy.js';
import { formatSeconds, type Table } from './format-table.js';

type Measured = Extract<DpBenchResult, { status: 'measured' }>;

const number = (value: number | null | undefined, digits: number): string => (value === null || value === undefined || Number.isNaN(value) ? '-' : value.toFixed(digits));

/** ε (z), and for the distributed mechanisms "ε / ε with every other institution colluding (z)". */
function epsilonCell(run: Measured['runs'][number], id: string): string {
  if (run.epsilon[id] === null || run.epsilon[id] === undefined) return '∞';
  const colluding = run.epsilonIfOthersCollude?.[id];
  return `${number(run.epsilon[id], 2)}${colluding === undefined ? '' : ` / ${number(colluding, 2)}`} (z ${number(run.noiseMultiplier[id], 2)})`;
}

function dpTable(result: Measured): Table {
  const ids = Object.keys(result.rowsPerInstitution);
  const rows = result.runs.map((run) => {
    const best = run.aucs.reduce<number | null>((max, auc) => (auc !== null && (max === null || auc > max) ? auc : max), null);
    return [
      describeVariant(run.variant),
      ...ids.map((id) => epsilonCell(run, id)),
      number(run.finalAuc, 4),
      number(best, 4),
      formatSeconds(run.wallSeconds),
    ];
  });
  const counts = ids.map((id) => `${id} ${result.rowsPerInstitution[id]?.toLocaleString('en-US')}`).join(', ');
  const first = result.runs.find((run) => run.variant !== null && run.variant.mechanism === undefined);
  const rates = first ? ids.map((id) => `${id} q ${number(first.sampleRate[id], 4)}, ${first.steps[id]} steps`).join('; ') : '';
  const { training } = result;
  return {
    title: `Held-out AUC against ε (δ = ${result.delta}), DP in every institution (logistic regression, ${training.rounds} rounds unless stated)`,
    headers: ['training', ...ids.map((id) => `ε ${id}`), 'final AUC', 'best AUC', 'wall'],
    rows,
    notes: [
      `${result.dataset}: ${counts} training rows, ${result.evaluationRows.toLocaleString('en-US')} held-out rows (at the first node).`,
      `DP-SGD rows, each round: ${training.localEpochs} local epoch of DP-SGD, Poisson batches with q = ${training.batchSize} / rows, per-example clipping C = 1, ${training.optimizer} at ${training.learningRate}; FedAvg; custody none (HE only adds CKKS noise).`,
      `Each institution accounts its own ε (RDP, Balle et al. 2020) from its q and steps: ${rates}. "no DP" is plain local training with the same settings.`,
      'AUC = the federated held-out AUC after the last round (ROC counts in 4,095 bins); one seeded run each, but the DP noise comes from the CSPRNG, so DP rows vary from run to run.',
      'distributed / client-level rows: threshold custody; each node adds a noise share of std z·C/√3; ε shown as "without collusion / with both other institutions colluding". Distributed FedSGD: one clipped gradient sum per node per round at q = 256 / rows, sent as −step/256 times it (FedAvg). Client-level: each node\'s whole update clipped to C = 1, q = 1: its ε protects a whole institution and with three of them is large.',
      'Chart: dp-auc-vs-epsilon.svg beside the JSON (chartSvg in it), record-level rows only.',
    ],
  };
}

/** The DP section as a table (or the line saying why it was skipped). */
export function differentialPrivacyTables(report: BenchReport): Table[] {
  const result = report.differentialPrivacy;
  if (!result) return [];
  if (result.status === 'skipped') return [{ title: 'Held-out AUC against ε', headers: ['section', 'status'], rows: [['dp', `skipped: ${result.reason}`]] }];
  return [dpTable(result)];
}
