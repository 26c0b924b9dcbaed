import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderLineChartSvg } from './render-line-chart-svg.js';
import { renderModelCard, type ModelCardInput, type ReportRound } from './render-model-card.js';

/**
 * The training report folder a bank data team files: report.json (everything, machine-readable),
 * model-card.md, rounds.csv (one line per round), auc.svg and loss.svg. The model itself is written
 * beside it by whoever holds it.
 */
export async function writeTrainingReport(directory: string, input: ModelCardInput, reportJson: unknown): Promise<string[]> {
  await mkdir(directory, { recursive: true });
  const training = input.rounds.filter((round) => round.kind === 'training');
  const auc = renderLineChartSvg({
    title: `Held-out AUC per round (${input.job.jobId})`,
    xLabel: 'round',
    yLabel: 'AUC',
    series: [
      { name: 'federated model', points: training.map((round) => ({ x: round.round, y: round.heldOutAuc ?? Number.NaN })) },
      ...(input.baselineAuc !== undefined && input.baselineAuc !== null && training.length > 0
        ? [{ name: 'centralized baseline', points: [{ x: training[0]?.round ?? 1, y: input.baselineAuc }, { x: training.at(-1)?.round ?? 1, y: input.baselineAuc }] }]
        : []),
    ],
  });
  const loss = renderLineChartSvg({
    title: `Mean local training loss per round (${input.job.jobId})`,
    xLabel: 'round',
    yLabel: 'binary cross-entropy',
    series: [{ name: 'mean local loss', points: training.map((round) => ({ x: round.round, y: round.meanLocalLoss ?? Number.NaN })) }],
  });
  const files: [string, string][] = [
    ['report.json', `${JSON.stringify(reportJson, null, 2)}\n`],
    ['model-card.md', renderModelCard(input)],
    ['rounds.csv', roundsCsv(input.rounds)],
    ['auc.svg', auc],
    ['loss.svg', loss],
  ];
  for (const [name, contents] of files) await writeFile(join(directory, name), contents);
  return files.map(([name]) => join(directory, name));
}

/**
 * Every round, statistics round 0 included, one line each: round, kind, participants (contributors),
 * mean local loss, held-out AUC, bytes received, seconds. A value the round has none of is left empty.
 */
export function roundsCsv(rounds: readonly ReportRound[]): string {
  const cell = (value: number | null): string => (value === null || !Number.isFinite(value) ? '' : String(value));
  const lines = ['round,kind,participants,mean_local_loss,held_out_auc,bytes_received,seconds'];
  for (const round of rounds) {
    lines.push([round.round, round.kind, round.contributors.length, cell(round.meanLocalLoss), cell(round.heldOutAuc), round.bytesReceived, round.seconds].join(','));
  }
  return `${lines.join('\n')}\n`;
}
