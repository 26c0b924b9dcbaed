import type { BenchReport } from './bench-report.js';
import type { ConvergenceResult, ConvergenceRun } from './convergence.js';
import { formatSeconds, type Table } from './format-table.js';

type Measured = Extract<ConvergenceResult, { status: 'measured' }>;

const auc = (value: number | null | undefined): string => (value === null || value === undefined || Number.isNaN(value) ? '-' : value.toFixed(4));
const rounds = (value: number | null, maxRounds: number): string => (value === null ? `not within ${maxRounds}` : String(value));

/** The largest per-round AUC difference between the threshold-CKKS fedavg run and the custody-none one; null without both. */
export function thresholdAucGap(runs: readonly ConvergenceRun[]): number | null {
  const none = runs.find((run) => run.serverOptimizer === 'fedavg' && run.fedProxMu === null && run.custody === 'none');
  const threshold = runs.find((run) => run.serverOptimizer === 'fedavg' && run.fedProxMu === null && run.custody === 'threshold');
  if (!none || !threshold || none.aucs.length !== threshold.aucs.length) return null;
  return none.aucs.reduce<number>((max, value, index) => Math.max(max, Math.abs((value ?? Number.NaN) - (threshold.aucs[index] ?? Number.NaN))), 0);
}

function runRow(run: ConvergenceRun, result: Measured): string[] {
  const perRound = run.roundSeconds.length > 0 ? run.roundSeconds.reduce((sum, value) => sum + value, 0) / run.roundSeconds.length : Number.NaN;
  return [
    run.name,
    run.custody,
    rounds(run.roundsToWithin, result.maxRounds),
    rounds(run.roundsToStayWithin, result.maxRounds),
    auc(run.aucAtDefaultRounds),
    auc(run.finalAuc),
    run.best ? `${auc(run.best.auc)} (r${run.best.round})` : '-',
    run.earlyStop ? `r${run.earlyStop.round}: ${auc(run.earlyStop.auc)}` : 'ran all',
    formatSeconds(run.wallSeconds),
    formatSeconds(perRound),
  ];
}

function convergenceTable(result: Measured): Table {
  const { centralized, maxRounds, tolerance, defaultRounds, earlyStopPatience, training } = result;
  const gap = thresholdAucGap(result.runs);
  const rows = result.runs.map((run) => runRow(run, result));
  rows.unshift([
    'centralized (pooled rows, 1 epoch per round)',
    '-',
    rounds(centralized.roundsToWithin, maxRounds),
    '-',
    auc(centralized.aucs[defaultRounds - 1]),
    auc(centralized.targetAuc),
    '-',
    '-',
    formatSeconds(centralized.seconds),
    formatSeconds(centralized.seconds / Math.max(1, centralized.aucs.length)),
  ]);
  const counts = Object.entries(result.rowsPerInstitution).map(([id, count]) => `${id} ${count.toLocaleString('en-US')}`).join(', ');
  return {
    title:
      `Rounds to come within ${tolerance} AUC of the centralized model (logistic regression, ${maxRounds} rounds; target: the centralized ` +
      `model after ${maxRounds} epochs, held-out AUC ${auc(centralized.targetAuc)})`,
    headers: ['federation', 'custody', `rounds to ≥ ${auc(centralized.targetAuc - tolerance)}`, 'stays within from', `AUC @${defaultRounds}`, `AUC @${maxRounds}`, 'best (round)', `early stop k=${earlyStopPatience}`, 'wall', 's / round'],
    rows,
    notes: [
      `${result.dataset}: ${counts} training rows, ${result.evaluationRows.toLocaleString('en-US')} held-out rows (at the first node).`,
      `local training per round: ${training.localEpochs} epoch of ${training.optimizer} at ${training.learningRate}, batches of ${training.batchSize}, seed ${training.seed} (the demo's); server optimizers at their documented defaults unless the row names other values; one run each (seeded: the same every run).`,
      'AUC = the federated held-out AUC of each round (RoundSummary.heldOutAuc: ROC counts in 4,095 bins summed over the nodes); the centralized',
      `  curve is binned the same way (its exact AUC after ${maxRounds} epochs: ${auc(centralized.exactAucs.at(-1))}). "early stop" = where stopAfterRoundsWithoutImprovement: ${earlyStopPatience} would have ended the job.`,
      'custody none runs the same Coordinator, Participant, local training and next-global-model step in one process (InMemoryFederationConnection),',
      '  with plaintext sums instead of CKKS ones: encryption changes the arithmetic only by CKKS noise (~1e-7 on the weights)' +
        (gap === null ? '; run without --quick for the threshold-CKKS check.' : `; fedavg under threshold CKKS differs from custody none by at most ${gap.toExponential(1)} AUC per round.`),
    ],
  };
}

/** The convergence section as a table (or the line saying why it was skipped). */
export function convergenceTables(report: BenchReport): Table[] {
  const result = report.convergence;
  if (!result) return [];
  if (result.status === 'skipped') return [{ title: 'Rounds to the centralized model', headers: ['section', 'status'], rows: [['convergence', `skipped: ${result.reason}`]] }];
  return [convergenceTable(result)];
}
