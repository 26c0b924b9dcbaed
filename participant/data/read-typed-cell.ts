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

/** A numeric cell's value; NaN (after reporting) when it is not a finite decimal number. */
export function readNumericCell(cell: string, place: CellPlace): number {
  const value = parseFiniteNumber(cell);
  if (value === undefined) {
    place.report({ source: place.source, line: place.line, column: place.column, cell, message: `${JSON.stringify(cell)} is not a finite number` });
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
    message: `unknown category ${JSON.stringify(cell)}; declared: ${categories.map((category) => JSON.stringify(category)).join(', ')}`,
  });
  return -1;
}

/** 1 for the positive label, 0 for the negative; undefined (after reporting) for anything else. */
export function readLabelCell(cell: string, label: { readonly positive: string; readonly negative: string }, place: CellPlace): 0 | 1 | undefined {
  if (cell === label.positive) return 1;
  if (cell === label.negative) return 0;
  place.report({
    source: place.source,
    line: place.line,
    column: place.column,
    cell,
    message: `label ${JSON.stringify(cell)} is neither the positive ${JSON.stringify(label.positive)} nor the negative ${JSON.stringify(label.negative)}`,
  });
  return undefined;
}
