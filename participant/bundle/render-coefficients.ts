import { formatCsv } from '../data/write-csv.js';
import type { CoefficientTable } from './logistic-coefficients.js';

const INTERCEPT = '(intercept)';
const number = (value: number | undefined): string => (value === undefined ? '' : String(Number(value.toPrecision(8))));

/** coefficients.csv: the intercept, then one row per input feature (one per one-hot category). */
export function coefficientsCsv(table: CoefficientTable): string {
  const header = ['feature', 'column', 'category', 'weight_standardized', 'weight_original_units', 'mean', 'std'];
  const rows = [
    [INTERCEPT, '', '', number(table.intercept.standardized), number(table.intercept.originalUnits), '', ''],
    ...table.rows.map((row) => [row.feature, row.column, row.category ?? '', number(row.standardized), number(row.originalUnits), number(row.mean), number(row.std)]),
  ];
  return formatCsv(header, rows, ',');
}

/** coefficients.md: the same table for people, with how to read it. */
export function coefficientsMarkdown(table: CoefficientTable): string {
  const cell = (text: string): string => text.replaceAll('|', '\\|');
  return [
    `# Logistic-regression coefficients: ${table.jobId}`,
    '',
    `Log-odds that \`${table.label.column}\` is \`${table.label.positive}\` = intercept + Σ weight × feature.`,
    'Numeric features enter the model standardized, (x − mean) / std with the federated mean and std:',
    '"per original unit" is the weight per unit of the raw column (weight / std), and the intercept in',
    'original units absorbs −Σ weight × mean / std. A one-hot feature is 1 for its category, 0 otherwise,',
    'so its weight is the same on both scales (so is a 0/1 missing indicator). A column with std 0 was',
    'constant in training and is unused. A missing cell that the job fills counts as its fill value.',
    '',
    '| feature | weight (standardized) | weight per original unit | mean | std |',
    '|---|---|---|---|---|',
    `| ${INTERCEPT} | ${number(table.intercept.standardized)} | ${number(table.intercept.originalUnits)} | | |`,
    ...table.rows.map((row) => `| ${cell(row.feature)} | ${number(row.standardized)} | ${number(row.originalUnits)} | ${number(row.mean)} | ${number(row.std)} |`),
    '',
  ].join('\n');
}
