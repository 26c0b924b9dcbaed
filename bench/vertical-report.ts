import type { BenchReport } from './bench-report.js';
import type { Figure } from './figures.js';
import { formatFigure as cell, formatRatio, formatSeconds, type Table } from './format-table.js';
import { VERTICAL_PARTIES } from './vertical-data.js';
import { PSI_TARGET_IDS, PSI_TARGET_SECONDS, type PsiCaseResult, type VerticalBenchResult, type VerticalCustodyResult } from './vertical-section.js';

/** Decimal megabytes, as the PSI acceptance figures are stated. */
const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(bytes >= 1e7 ? 1 : 3)} MB`;
const auc = (value: number): string => value.toFixed(4);

function psiRow(entry: PsiCaseResult): string[] {
  const target = entry.withinTarget === null ? '-' : `${entry.withinTarget ? 'PASS' : 'MISS'} (≤ ${PSI_TARGET_SECONDS} s)`;
  return [
    entry.name,
    Object.values(entry.idsPerParty).map((count) => count.toLocaleString('en-US')).join(' / '),
    entry.padTo === null ? 'none' : entry.padTo.toLocaleString('en-US'),
    entry.intersectionSize.toLocaleString('en-US'),
    cell(entry.totalSeconds, formatSeconds),
    target,
    ...VERTICAL_PARTIES.map((party) => megabytes(entry.bytesSentPerParty[party] ?? 0)),
    megabytes(entry.coordinatorBytesSent),
  ];
}

/** "3 × 100,000 …: pools 1.2 s, own lists 20.1 s, hop 1 …" (medians). */
function phaseNote(entry: PsiCaseResult): string {
  const phases = [['pools', entry.poolStartSeconds] as const, ...Object.entries(entry.phaseSeconds)].map(([phase, seconds]) => `${phase} ${formatSeconds(seconds.median)}`);
  return `${entry.name}: ${phases.join(', ')}`;
}

function psiTable(vertical: VerticalBenchResult, repeat: number): Table {
  const bank = vertical.psiBankMarketing;
  return {
    title: `Private set intersection, 3 parties in one process (X25519, RFC 9380 hash to curve, one worker pool per party; median [min–max] of ${repeat})`,
    headers: ['case', 'ids per party', 'padTo', 'intersection', 'wall, pools included', `target (3 × ${PSI_TARGET_IDS / 1000}k)`, ...VERTICAL_PARTIES.map((party) => `${party} sent`), 'coordinator sent'],
    rows: [psiRow(vertical.psi), 'name' in bank ? psiRow(bank) : ['bank-marketing split', `skipped: ${bank.reason}`]],
    notes: [
      `${vertical.psi.workersPerParty} worker threads per party pool, every party on this machine's cores at once: a deployment gives each party its own machine.`,
      'sent = own blinded list + every hop it blinds for the others; MB = 10^6 bytes. Pool start is included in the wall time.',
      ...[vertical.psi, ...('name' in bank ? [bank] : [])].map(phaseNote),
    ],
  };
}

function trainingRows(threshold: VerticalCustodyResult, none: VerticalCustodyResult, ratios: { seconds: Figure; coordinator: Figure; egress: Figure }): string[][] {
  const pair = (label: string, pick: (result: VerticalCustodyResult) => Figure, format: (value: number) => string, ratio?: Figure): string[] => [
    label,
    cell(pick(threshold), format),
    cell(pick(none), format),
    ratio ? cell(ratio, formatRatio) : '',
  ];
  return [
    pair('seconds per epoch', (result) => result.epochSeconds, formatSeconds, ratios.seconds),
    pair('coordinator bytes per epoch (received + sent)', (result) => result.coordinatorBytesPerEpoch, megabytes, ratios.coordinator),
    pair('  received', (result) => result.coordinatorBytesReceivedPerEpoch, megabytes),
    pair('  sent', (result) => result.coordinatorBytesSentPerEpoch, megabytes),
    ...VERTICAL_PARTIES.map((party) => pair(`${party} egress per epoch (ledger)`, (result) => result.partyEgressBytesPerEpoch[party], megabytes)),
    pair('all parties egress per epoch', (result) => result.allPartiesEgressBytesPerEpoch, megabytes, ratios.egress),
    pair('setup per job: joins, key setup, PSI', (result) => result.setupSeconds, formatSeconds),
    pair('whole job (coordinator)', (result) => result.jobSeconds, formatSeconds),
    pair('coordinator bytes per job (received + sent)', (result) => result.coordinatorBytesPerJob, megabytes),
    pair('final validation AUC', (result) => result.finalValidationAuc, auc),
  ];
}

function trainingTable(vertical: VerticalBenchResult, repeat: number): Table {
  const training = vertical.training;
  const title = 'Vertical logistic regression, bank marketing: coordinator + 3 party processes over gRPC on 127.0.0.1, threshold CKKS vs custody none';
  if (training.status === 'skipped') return { title, headers: ['what', ''], rows: [['vertical job', `skipped: ${training.reason}`]] };
  const ratios = { seconds: training.secondsThresholdOverNone, coordinator: training.coordinatorBytesThresholdOverNone, egress: training.partyEgressThresholdOverNone };
  return {
    title: `${title} (${training.epochs} epochs per job; median [min–max] over every epoch of ${repeat} job(s) each)`,
    headers: ['per epoch', 'threshold', 'none', 'threshold / none'],
    rows: trainingRows(training.threshold, training.none, ratios),
    notes: [
      `${training.intersectionSize.toLocaleString('en-US')} customers in the intersection (of up to ${training.customers.toLocaleString('en-US')} per party), batches of ${training.batchSize}; the two custody modes back to back in each run.`,
      "epoch = the coordinator's 'private set intersection complete' (epoch 1: includes the parties' alignment and encoding) or previous 'epoch finished' → 'epoch finished';",
      '  coordinator bytes = its running totals logged at those two lines; party egress = size of every egress-ledger record addressed to the epoch, plus its fetch requests in the window.',
      'ratios pair epoch i of run r under threshold with the same epoch under none.',
    ],
  };
}

/** The vertical section's two tables (none when the section was not selected). */
export function verticalTables(report: BenchReport): Table[] {
  const vertical = report.vertical;
  if (!vertical) return [];
  return [psiTable(vertical, report.repeat), trainingTable(vertical, report.repeat)];
}
