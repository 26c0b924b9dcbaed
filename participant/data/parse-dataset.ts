import type { FeatureSchema } from '../../protocols/data/feature-schema.js';
import { throwDatasetProblem, type ReportDatasetProblem } from './dataset-problem.js';
import { categoryMatcher } from './match-category.js';
import { readCategoryCell, readLabelCell, readNumericCell, type CellPlace } from './read-typed-cell.js';
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
 * With `report`, every problem goes to it instead and parsing goes on (`hefl check`): a bad numeric
 * cell is then NaN, an unknown category -1, a bad label 0, a missing column's cells NaN or -1.
 */
export function parseDataset(table: CsvTable, schema: FeatureSchema, report: ReportDatasetProblem = throwDatasetProblem): LocalDataset {
  const { source, header, rows } = table;
  const columns = resolveSchemaColumns(header, schema, source, report);
  const rowCount = rows.length;
  if (rowCount === 0) report({ source, message: 'no data rows after the header' });

  // Without recorded lines (tables built in code) each row is assumed to take one line after the header.
  const lineOf = (row: number): number => table.rowLines?.[row] ?? row + 2;
  const matchers = schema.categorical.map((column) => categoryMatcher(column.categories));
  const numeric = schema.numeric.map(() => new Float64Array(rowCount).fill(Number.NaN));
  const categoricalIndex = schema.categorical.map(() => new Int32Array(rowCount).fill(-1));
  const labels = new Uint8Array(rowCount);
  const place: CellPlace = { source, line: 0, column: '', report };

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
      (numeric[feature] as Float64Array)[row] = readNumericCell(cells[position] as string, place);
    }
    for (let feature = 0; feature < categoricalIndex.length; feature += 1) {
      const position = columns.categorical[feature] as number;
      if (position < 0) continue;
      const column = schema.categorical[feature] as FeatureSchema['categorical'][number];
      place.column = column.name;
      (categoricalIndex[feature] as Int32Array)[row] = readCategoryCell(cells[position] as string, column.categories, matchers[feature] as (cell: string) => number | undefined, place);
    }
    if (columns.label < 0) continue;
    place.column = schema.label.column;
    labels[row] = readLabelCell(cells[columns.label] as string, schema.label, place) ?? 0;
  }
  return { source, numeric, categoricalIndex, labels, rowCount };
}
