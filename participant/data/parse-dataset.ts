import type { FeatureSchema } from '../../protocols/data/feature-schema.js';
import { missingPolicyOf, type MissingPolicy } from '../../protocols/data/missing-values.js';
import { throwDatasetProblem, type ReportDatasetProblem } from './dataset-problem.js';
import { categoryMatcher } from './match-category.js';
import { readCategoryCell, readLabelCell, readNumericCell, type CellPlace } from './read-typed-cell.js';
import type { CsvTable } from './read-csv-table.js';
import { resolveSchemaColumns, type RowPurpose } from './resolve-schema-columns.js';

/** A participant's rows, column-major and typed, in schema column order. */
export interface LocalDataset {
  source: string;
  /** One array per schema numeric column; each has `rowCount` entries. */
  numeric: Float64Array[];
  /** One array per schema categorical column: the index of the row's value in the declared list. */
  categoricalIndex: Int32Array[];
  /** 1 where the label is the schema's positive value, 0 where negative; all 0 for rows to score. */
  labels: Uint8Array;
  rowCount: number;
  /**
   * Per numeric column with a missing-value policy, 1 where the cell was missing (its value is then
   * the constant fill, or NaN until round 0 gives the federated mean); undefined without a policy.
   */
  missingNumeric?: (Uint8Array | undefined)[];
  /** The same per categorical column; a missing cell's index is the fill category or the (missing) slot. */
  missingCategorical?: (Uint8Array | undefined)[];
}

/** Where a missing cell of a column goes: a number (numeric) or a category index (categorical). */
function numericFill(policy: MissingPolicy): number {
  return policy.fill === 'mean' ? Number.NaN : (policy.fill as number);
}

function categoryFill(policy: MissingPolicy, categories: readonly string[], match: (cell: string) => number | undefined): number {
  return policy.fill === 'missing-category' ? categories.length : (match(String(policy.fill)) ?? -1);
}

/**
 * Validates every cell against the job's feature schema and converts it. Stops at the first bad
 * cell with file, line and column, so a partner can fix their export before any round starts.
 * With `report`, every problem goes to it instead and parsing goes on (`hefl check`): a bad numeric
 * cell is then NaN, an unknown category -1, a bad label 0, a missing column's cells NaN or -1.
 * With `purpose.scoring` (`hefl predict`) the label column may be missing and is not read; every
 * feature cell is validated as strictly as for training.
 */
export function parseDataset(table: CsvTable, schema: FeatureSchema, report: ReportDatasetProblem = throwDatasetProblem, purpose: RowPurpose = {}): LocalDataset {
  const { source, header, rows } = table;
  const columns = resolveSchemaColumns(header, schema, source, report, purpose);
  const rowCount = rows.length;
  if (rowCount === 0) report({ source, message: 'no data rows after the header' });

  // Without recorded lines (tables built in code) each row is assumed to take one line after the header.
  const lineOf = (row: number): number => table.rowLines?.[row] ?? row + 2;
  const matchers = schema.categorical.map((column) => categoryMatcher(column.categories));
  // The label's two values match like categories: by spelling, or by value (`1` and `1.0`).
  const matchLabel = categoryMatcher([schema.label.negative, schema.label.positive]);
  const numeric = schema.numeric.map(() => new Float64Array(rowCount).fill(Number.NaN));
  const categoricalIndex = schema.categorical.map(() => new Int32Array(rowCount).fill(-1));
  const labels = new Uint8Array(rowCount);
  const place: CellPlace = { source, line: 0, column: '', report };
  const markers = new Set(schema.missing?.markers ?? []);
  const isMissing = (cell: string): boolean => markers.has(cell.trim());
  const numericPolicies = schema.numeric.map((name) => missingPolicyOf(schema, name));
  const categoricalPolicies = schema.categorical.map((column) => missingPolicyOf(schema, column.name));
  const missingNumeric = numericPolicies.map((policy) => (policy ? new Uint8Array(rowCount) : undefined));
  const missingCategorical = categoricalPolicies.map((policy) => (policy ? new Uint8Array(rowCount) : undefined));
  const numericFills = numericPolicies.map((policy) => (policy ? numericFill(policy) : Number.NaN));
  const categoryFills = categoricalPolicies.map((policy, index) => {
    const column = schema.categorical[index] as FeatureSchema['categorical'][number];
    return policy ? categoryFill(policy, column.categories, matchers[index] as (cell: string) => number | undefined) : -1;
  });

  for (let row = 0; row < rowCount; row += 1) {
    const cells = rows[row] as string[];
    const line = lineOf(row);
    if (cells.length !== header.length) {
      report({ source, line, message: `expected ${header.length} cells, found ${cells.length}` });
      continue;
    }
    place.line = line;
    for (let feature = 0; feature < numeric.length; feature += 1) {
      const position = columns.numeric[feature] as number;
      if (position < 0) continue;
      place.column = schema.numeric[feature] as string;
      const cell = cells[position] as string;
      const mask = missingNumeric[feature];
      if (mask !== undefined && isMissing(cell)) {
        mask[row] = 1;
        (numeric[feature] as Float64Array)[row] = numericFills[feature] as number;
      } else {
        (numeric[feature] as Float64Array)[row] = readNumericCell(cell, place);
      }
    }
    for (let feature = 0; feature < categoricalIndex.length; feature += 1) {
      const position = columns.categorical[feature] as number;
      if (position < 0) continue;
      const column = schema.categorical[feature] as FeatureSchema['categorical'][number];
      place.column = column.name;
      const cell = cells[position] as string;
      const mask = missingCategorical[feature];
      if (mask !== undefined && isMissing(cell)) {
        mask[row] = 1;
        (categoricalIndex[feature] as Int32Array)[row] = categoryFills[feature] as number;
      } else {
        (categoricalIndex[feature] as Int32Array)[row] = readCategoryCell(cell, column.categories, matchers[feature] as (cell: string) => number | undefined, place);
      }
    }
    if (columns.label < 0) continue;
    place.column = schema.label.column;
    labels[row] = readLabelCell(cells[columns.label] as string, matchLabel, schema.label, place) ?? 0;
  }
  return { source, numeric, categoricalIndex, labels, rowCount, missingNumeric, missingCategorical };
}
