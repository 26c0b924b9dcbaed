import { formatDatasetProblem } from '../../participant/data/dataset-problem.js';
import type { FileCheck, FileSummary } from './check-data-file.js';
import type { CategoricalSummary, NumericSummary } from './summarize-columns.js';

/** What `hefl check` checked: the job, and the node (absent with --csv alone). */
export interface CheckReport {
  readonly ok: boolean;
  readonly job: { readonly id: string; readonly kind: 'horizontal' | 'vertical' };
  readonly node?: string | undefined;
  readonly files: readonly FileCheck[];
}

const number = (value: number | null): string => (value === null ? '-' : Number.isInteger(value) ? String(value) : value.toPrecision(6).replace(/\.?0+$/, ''));
const percent = (share: number): string => `${(share * 100).toFixed(1)} %`;
const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

function numericLine(column: NumericSummary): string {
  if (!column.inHeader) return `  numeric "${column.column}": missing from the header`;
  return `  numeric "${column.column}": min ${number(column.min)}, max ${number(column.max)}, mean ${number(column.mean)}; ${column.missing} missing${column.filled === undefined ? '' : ` (${column.filled} filled by the job's policy)`}, ${column.invalid} invalid`;
}

function categoricalLine(column: CategoricalSummary): string {
  if (!column.inHeader) return `  categorical "${column.column}": missing from the header`;
  const counts = column.counts.map(({ category, count }) => `${JSON.stringify(category)} ${count}`).join(', ');
  const unknown = column.unknown.map(({ value, count, didYouMean }) => `${JSON.stringify(value)} ${count}${didYouMean === undefined ? '' : ` (did you mean ${JSON.stringify(didYouMean)}?)`}`);
  const filled = column.filled === undefined ? '' : `; ${column.filled} missing (filled by the job's policy)`;
  return `  categorical "${column.column}": ${counts}${filled}` + (unknown.length === 0 ? '' : `; unknown: ${unknown.join(', ')}`);
}

function summaryLines(summary: FileSummary): string[] {
  const lines = [`  rows: ${summary.rows}`];
  if (summary.id) {
    const { column, inHeader, empty, duplicates } = summary.id;
    lines.push(inHeader ? `  id "${column}": ${empty} empty, ${duplicates} repeated` : `  id "${column}": missing from the header`);
  }
  if (summary.label) {
    const { column, inHeader, classes, invalid } = summary.label;
    const balance = classes.map(({ value, count, share }) => `${JSON.stringify(value)} ${count} (${percent(share)})`).join(', ');
    lines.push(inHeader ? `  label "${column}": ${balance}; ${invalid} invalid` : `  label "${column}": missing from the header`);
  }
  lines.push(...summary.numeric.map(numericLine), ...summary.categorical.map(categoricalLine));
  if (summary.undeclared.length > 0) lines.push(`  undeclared columns: ${summary.undeclared.map((name) => JSON.stringify(name)).join(', ')}`);
  return lines;
}

function fileLines(check: FileCheck): string[] {
  const { total, listed, notListed } = check.problems;
  const lines = [`${check.file} (${check.role}): ${total === 0 ? 'no problems' : plural(total, 'problem')}`];
  lines.push(...listed.map((problem) => `  ${formatDatasetProblem(problem)}`));
  lines.push(...notListed.map(({ column, count }) => `  ... and ${count} more in ${column.startsWith('(') ? column : `column "${column}"`}`));
  if (check.summary) lines.push('summary:', ...summaryLines(check.summary));
  return lines;
}

/** The report for people: per file every listed problem, then its summary, then one verdict line. */
export function formatCheckReport(report: CheckReport): string {
  const node = report.node === undefined ? '' : `, node ${report.node}`;
  const header = `hefl check: job ${report.job.id} (${report.job.kind})${node}`;
  const total = report.files.reduce((sum, file) => sum + file.problems.total, 0);
  const bad = report.files.filter((file) => file.problems.total > 0).length;
  const verdict = total === 0
    ? `result: no problems in ${plural(report.files.length, 'file')}`
    : `result: ${plural(total, 'problem')} in ${bad} of ${plural(report.files.length, 'file')}; fix them before joining the job`;
  return [header, '', ...report.files.flatMap((file) => [...fileLines(file), '']), verdict].join('\n');
}
