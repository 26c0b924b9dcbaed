import { DatasetError } from '../../../protocols/errors.js';
import { findSimilarName } from '../../../protocols/data/find-similar-name.js';
import { parseFiniteNumber } from '../../data/parse-finite-number.js';
import type { CsvTable } from '../../data/read-csv-table.js';
import type { LabelSpec, PartyFeatureSpec } from '../../../protocols/vertical/party-feature-spec.js';

/** One party's rows, typed and column-major, in file order (alignment reorders them later). */
export interface PartyTable {
  source: string;
  /** The id column's cells (what PSI matches on), unique. */
  ids: string[];
  /** One array per spec numeric column. */
  numeric: Float64Array[];
  /** One array per spec categorical column: the index of the row's value in the declared categories. */
  categoricalIndex: Int32Array[];
  /** The bank only: 1 where the label is positive, 0 where negative. */
  labels?: Uint8Array;
  rowCount: number;
}

/**
 * Validates every cell and converts it, stopping at the first bad one with file, line and column.
 * Every header column must be the id, a feature, the label or explicitly ignored, so an undeclared
 * column (possibly a leaking one) is never silently used or dropped.
 */
export function parsePartyTable(table: CsvTable, spec: PartyFeatureSpec, options: { idColumn: string; label?: LabelSpec }): PartyTable {
  const { source, header, rows } = table;
  const positions = new Map<string, number>();
  for (const [index, name] of header.entries()) {
    if (positions.has(name)) throw new DatasetError(`${source}: line 1: column "${name}" appears twice in the header`);
    positions.set(name, index);
  }
  const find = (name: string, role: string): number => {
    const position = positions.get(name);
    if (position !== undefined) return position;
    const similar = findSimilarName(name, header);
    throw new DatasetError(`${source}: line 1: ${role} column "${name}" is missing from the header` + (similar === undefined ? '' : `; did you mean "${similar}"?`));
  };
  const idPosition = find(options.idColumn, 'id');
  const numericPositions = spec.numeric.map((name) => find(name, 'numeric'));
  const categoricalPositions = spec.categorical.map((column) => find(column.name, 'categorical'));
  const labelPosition = options.label === undefined ? undefined : find(options.label.column, 'label');
  const known = new Set([options.idColumn, ...spec.numeric, ...spec.categorical.map((column) => column.name), ...spec.ignored]);
  if (options.label !== undefined) known.add(options.label.column);
  for (const name of header) {
    if (!known.has(name)) {
      throw new DatasetError(`${source}: line 1: column "${name}" is not in this party's feature spec; add it to ignored to train without it`);
    }
  }
  if (rows.length === 0) throw new DatasetError(`${source}: no data rows after the header`);

  const lineOf = (row: number): number => table.rowLines?.[row] ?? row + 2;
  const categoryIndexes = spec.categorical.map((column) => new Map(column.categories.map((category, index) => [category, index])));
  const numeric = spec.numeric.map(() => new Float64Array(rows.length));
  const categoricalIndex = spec.categorical.map(() => new Int32Array(rows.length));
  const labels = options.label === undefined ? undefined : new Uint8Array(rows.length);
  const ids: string[] = [];
  const idLines = new Map<string, number>();
  for (const [row, cells] of rows.entries()) {
    if (cells.length !== header.length) throw new DatasetError(`${source}: line ${lineOf(row)}: expected ${header.length} cells, found ${cells.length}`);
    const id = cells[idPosition] as string;
    if (id.trim() === '') throw new DatasetError(`${source}: line ${lineOf(row)}, column "${options.idColumn}": the id is empty`);
    const earlier = idLines.get(id);
    if (earlier !== undefined) {
      throw new DatasetError(`${source}: line ${lineOf(row)}, column "${options.idColumn}": id ${JSON.stringify(id)} repeats line ${earlier}`);
    }
    idLines.set(id, lineOf(row));
    ids.push(id);
    for (const [feature, position] of numericPositions.entries()) {
      const cell = cells[position] as string;
      const value = parseFiniteNumber(cell);
      if (value === undefined) {
        throw new DatasetError(`${source}: line ${lineOf(row)}, column "${spec.numeric[feature]}": ${JSON.stringify(cell)} is not a finite number`);
      }
      (numeric[feature] as Float64Array)[row] = value;
    }
    for (const [feature, position] of categoricalPositions.entries()) {
      const cell = cells[position] as string;
      const index = (categoryIndexes[feature] as Map<string, number>).get(cell);
      if (index === undefined) {
        const column = spec.categorical[feature] as PartyFeatureSpec['categorical'][number];
        throw new DatasetError(
          `${source}: line ${lineOf(row)}, column "${column.name}": unknown category ${JSON.stringify(cell)}; ` +
            `declared: ${column.categories.map((category) => JSON.stringify(category)).join(', ')}`,
        );
      }
      (categoricalIndex[feature] as Int32Array)[row] = index;
    }
    if (labels !== undefined && options.label !== undefined && labelPosition !== undefined) {
      const cell = cells[labelPosition] as string;
      if (cell === options.label.positive) labels[row] = 1;
      else if (cell !== options.label.negative) {
        throw new DatasetError(
          `${source}: line ${lineOf(row)}, column "${options.label.column}": label ${JSON.stringify(cell)} is neither ` +
            `the positive ${JSON.stringify(options.label.positive)} nor the negative ${JSON.stringify(options.label.negative)}`,
        );
      }
    }
  }
  return { source, ids, numeric, categoricalIndex, ...(labels === undefined ? {} : { labels }), rowCount: rows.length };
}
