import type { ReportDatasetProblem } from './dataset-problem.js';
import { parseFiniteNumber } from './parse-finite-number.js';
import { MAX_ABS_FEATURE_VALUE } from '../../protocols/data/statistics-limbs.js';

/**
 * Where a cell is: file, line, column; and who hears of a bad one. Parsers keep one and move it
 * from cell to cell (no object per cell on a 40k-row file); a problem copies what it needs.
 */
export interface CellPlace {
  readonly source: string;
  line: number;
  column: string;
  readonly report: ReportDatasetProblem;
}

// Spellings of "no value" in common exports (pandas, R, SQL dumps); a cell like this without a policy gets a hint.
const USUAL_MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '?', '-']);

function missingHint(cell: string, column: string, fills: string): string {
  if (!USUAL_MISSING.has(cell.trim().toLowerCase())) return '';
  const marker = cell.trim() === '' ? '' : ` and list ${JSON.stringify(cell.trim())} in features.missing.markers`;
  return `; if it means a missing value, declare features.missing.columns[${JSON.stringify(column)}] with fill: ${fills}${marker}`;
}

/** A numeric cell's value; NaN (after reporting) when it is not a finite decimal number. */
export function readNumericCell(cell: string, place: CellPlace): number {
  const value = parseFiniteNumber(cell);
  if (value === undefined) {
    const hint = missingHint(cell, place.column, 'mean or a number');
    place.report({ source: place.source, line: place.line, column: place.column, cell, message: `${JSON.stringify(cell)} is not a finite number${hint}` });
    return Number.NaN;
  }
  // The round-0 statistics represent values up to this magnitude exactly (protocols/data/statistics-limbs.ts).
  if (Math.abs(value) > MAX_ABS_FEATURE_VALUE) {
    place.report({
      source: place.source,
      line: place.line,
      column: place.column,
      cell,
      message: `${JSON.stringify(cell.trim())} is beyond the supported magnitude |x| ≤ ${MAX_ABS_FEATURE_VALUE} (1e15); rescale the column (e.g. thousands) before the job`,
    });
    return Number.NaN;
  }
  return value;
}

/** A categorical cell's index in the declared categories; -1 (after reporting) for an unknown one. */
export function readCategoryCell(
  cell: string,
  categories: readonly string[],
  match: (cell: string) => number | undefined,
  place: CellPlace,
): number {
  const index = match(cell);
  if (index !== undefined) return index;
  place.report({
    source: place.source,
    line: place.line,
    column: place.column,
    cell,
    message: `unknown category ${JSON.stringify(cell)}; declared: ${categories.map((category) => JSON.stringify(category)).join(', ')}${missingHint(cell, place.column, 'missing-category or a declared category')}`,
  });
  return -1;
}

/**
 * 1 for the positive label, 0 for the negative; undefined (after reporting) for anything else.
 * `match` is categoryMatcher([negative, positive]), so `1.0` reads as a label declared `1`.
 */
export function readLabelCell(
  cell: string,
  match: (cell: string) => number | undefined,
  label: { readonly positive: string; readonly negative: string },
  place: CellPlace,
): 0 | 1 | undefined {
  const index = match(cell);
  if (index === 1) return 1;
  if (index === 0) return 0;
  place.report({
    source: place.source,
    line: place.line,
    column: place.column,
    cell,
    message: `label ${JSON.stringify(cell)} is neither the positive ${JSON.stringify(label.positive)} nor the negative ${JSON.stringify(label.negative)}`,
  });
  return undefined;
}
