import { findSimilarName } from '../../protocols/data/find-similar-name.js';
import { categoryMatcher } from '../../participant/data/match-category.js';

/** A column's cell in a row ('' past the end of a short row). */
export type CellAt = (row: number) => string;

export interface NumericSummary {
  readonly column: string;
  readonly inHeader: boolean;
  /** Over the valid cells; null when there are none. */
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
  readonly missing: number;
  readonly invalid: number;
  /** Of the missing cells, those the job's missing-value policy fills (absent without a policy). */
  readonly filled?: number;
}

export interface CategoricalSummary {
  readonly column: string;
  readonly inHeader: boolean;
  readonly counts: readonly { readonly category: string; readonly count: number }[];
  readonly unknown: readonly { readonly value: string; readonly count: number; readonly didYouMean?: string }[];
  /** Missing cells the job's policy fills (absent without a policy). */
  readonly filled?: number;
}

export interface LabelSummary {
  readonly column: string;
  readonly inHeader: boolean;
  /** Positive first, then negative; share of all rows. */
  readonly classes: readonly { readonly value: string; readonly count: number; readonly share: number }[];
  readonly invalid: number;
}

export interface IdSummary {
  readonly column: string;
  readonly inHeader: boolean;
  readonly empty: number;
  /** Rows whose id an earlier row already has. */
  readonly duplicates: number;
}

/**
 * Range, mean and the missing and invalid cells of a parsed numeric column (NaN = bad cell). With a
 * missing-value policy, `filled` flags the missing cells (their values are fills, left out of the range).
 */
export function summarizeNumeric(column: string, values: Float64Array, cellAt: CellAt | undefined, filled?: Uint8Array): NumericSummary {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let valid = 0;
  let missing = 0;
  let filledCount = 0;
  for (const [row, value] of values.entries()) {
    if (filled !== undefined && filled[row] === 1) {
      filledCount += 1;
      continue;
    }
    if (Number.isNaN(value)) {
      if (cellAt !== undefined && cellAt(row).trim() === '') missing += 1;
      continue;
    }
    valid += 1;
    sum += value;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const some = valid > 0;
  const bad = cellAt === undefined ? 0 : values.length - valid - filledCount;
  const summary = { column, inHeader: cellAt !== undefined, min: some ? min : null, max: some ? max : null, mean: some ? sum / valid : null, missing: missing + filledCount, invalid: bad - missing };
  return filled === undefined ? summary : { ...summary, filled: filledCount };
}

/** Rows per declared category, and each unknown value with its count and a close declared spelling. */
export function summarizeCategorical(column: string, categories: readonly string[], indexes: Int32Array, cellAt: CellAt | undefined, filled?: Uint8Array): CategoricalSummary {
  const counts = categories.map(() => 0);
  const unknown = new Map<string, number>();
  let filledCount = 0;
  for (const [row, index] of indexes.entries()) {
    if (filled !== undefined && filled[row] === 1) filledCount += 1;
    else if (index >= 0) counts[index] = (counts[index] as number) + 1;
    else if (cellAt !== undefined) unknown.set(cellAt(row), (unknown.get(cellAt(row)) ?? 0) + 1);
  }
  return {
    column,
    inHeader: cellAt !== undefined,
    counts: categories.map((category, index) => ({ category, count: counts[index] as number })),
    unknown: [...unknown.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([value, count]) => {
        // A close spelling, not a close number: "4" is no misspelt "1".
        const similar = findSimilarName(value, categories, Math.min(2, Math.floor(value.trim().length / 3)));
        return similar === undefined ? { value, count } : { value, count, didYouMean: similar };
      }),
    ...(filled === undefined ? {} : { filled: filledCount }),
  };
}

/** Class balance of the label: count and share of all rows per class, and the rows with neither value. */
export function summarizeLabel(label: { column: string; positive: string; negative: string }, rows: number, cellAt: CellAt | undefined): LabelSummary {
  let positive = 0;
  let negative = 0;
  // As the parser reads labels: by spelling, or by value (`1.0` is the label `1`).
  const match = categoryMatcher([label.negative, label.positive]);
  for (let row = 0; cellAt !== undefined && row < rows; row += 1) {
    const index = match(cellAt(row));
    if (index === 1) positive += 1;
    else if (index === 0) negative += 1;
  }
  const share = (count: number): number => (rows === 0 ? 0 : count / rows);
  return {
    column: label.column,
    inHeader: cellAt !== undefined,
    classes: [
      { value: label.positive, count: positive, share: share(positive) },
      { value: label.negative, count: negative, share: share(negative) },
    ],
    invalid: cellAt === undefined ? 0 : rows - positive - negative,
  };
}

/** Empty and repeated ids of a vertical party's id column. */
export function summarizeIds(column: string, rows: number, cellAt: CellAt | undefined): IdSummary {
  const seen = new Set<string>();
  let empty = 0;
  let duplicates = 0;
  for (let row = 0; cellAt !== undefined && row < rows; row += 1) {
    const id = cellAt(row);
    if (id.trim() === '') empty += 1;
    else if (seen.has(id)) duplicates += 1;
    else seen.add(id);
  }
  return { column, inHeader: cellAt !== undefined, empty, duplicates };
}
