import { DatasetError } from '../../protocols/errors.js';
import type { FeatureSchema } from '../../protocols/data/feature-schema.js';
import { parseFiniteNumber } from './parse-finite-number.js';
import { MAX_ABS_FEATURE_VALUE } from '../../protocols/data/statistics-limbs.js';
import type { CsvTable } from './read-csv-table.js';
import { resolveSchemaColumns } from './resolve-schema-columns.js';

/** A participant's rows, column-major and typed, in schema column order. */
export interface LocalDataset {
  source: string;
  /** One array per schema numeric column; each has `rowCount` entries. */
  numeric: Float64Array[];
  /** One array per schema categorical column: the index of the row's value in the declared list. */
  categoricalIndex: Int32Array[];
  /** 1 where the label is the schema's positive value, 0 where negative. */
  labels: Uint8Array;
  rowCount: number;
}

/**
 * Validates every cell against the job's feature schema and converts it. Stops at the first bad
 * cell with file, line and column, so a partner can fix their export before any round starts.
 */
export function parseDataset(table: CsvTable, schema: FeatureSchema): LocalDataset {
  const { source, header, rows } = table;
  const columns = resolveSchemaColumns(header, schema, source);
  const rowCount = rows.length;
  if (rowCount === 0) throw new DatasetError(`${source}: no data rows after the header`);

  // Without recorded lines (tables built in code) each row is assumed to take one line after the header.
  const lineOf = (row: number): number => table.rowLines?.[row] ?? row + 2;
  const categoryIndexes = schema.categorical.map(
    (column) => new Map(column.categories.map((category, index) => [category, index])),
  );
  const numeric = schema.numeric.map(() => new Float64Array(rowCount));
  const categoricalIndex = schema.categorical.map(() => new Int32Array(rowCount));
  const labels = new Uint8Array(rowCount);
  const { positive, negative } = schema.label;

  for (let row = 0; row < rowCount; row += 1) {
    const cells = rows[row] as string[];
    if (cells.length !== header.length) {
      throw new DatasetError(`${source}: line ${lineOf(row)}: expected ${header.length} cells, found ${cells.length}`);
    }
    for (let feature = 0; feature < numeric.length; feature += 1) {
      const cell = cells[columns.numeric[feature] as number] as string;
      const value = parseFiniteNumber(cell);
      if (value === undefined) {
        throw new DatasetError(
          `${source}: line ${lineOf(row)}, column "${schema.numeric[feature]}": ${JSON.stringify(cell)} is not a finite number`,
        );
      }
      if (Math.abs(value) > MAX_ABS_FEATURE_VALUE) {
        throw new DatasetError(
          `${source}: line ${lineOf(row)}, column "${schema.numeric[feature]}": ${JSON.stringify(cell.trim())} is beyond the ` +
            `supported magnitude |x| ≤ ${MAX_ABS_FEATURE_VALUE} (1e15); rescale the column (e.g. thousands) before the job`,
        );
      }
      (numeric[feature] as Float64Array)[row] = value;
    }
    for (let feature = 0; feature < categoricalIndex.length; feature += 1) {
      const cell = cells[columns.categorical[feature] as number] as string;
      const index = (categoryIndexes[feature] as Map<string, number>).get(cell);
      if (index === undefined) {
        const column = schema.categorical[feature] as FeatureSchema['categorical'][number];
        throw new DatasetError(
          `${source}: line ${lineOf(row)}, column "${column.name}": unknown category ${JSON.stringify(cell)}; ` +
            `declared: ${column.categories.map((category) => JSON.stringify(category)).join(', ')}`,
        );
      }
      (categoricalIndex[feature] as Int32Array)[row] = index;
    }
    const label = cells[columns.label] as string;
    if (label === positive) labels[row] = 1;
    else if (label !== negative) {
      throw new DatasetError(
        `${source}: line ${lineOf(row)}, column "${schema.label.column}": label ${JSON.stringify(label)} is neither ` +
          `the positive ${JSON.stringify(positive)} nor the negative ${JSON.stringify(negative)}`,
      );
    }
  }
  return { source, numeric, categoricalIndex, labels, rowCount };
}
