import { throwDatasetProblem, type ReportDatasetProblem } from '../../data/dataset-problem.js';
import { categoryMatcher } from '../../data/match-category.js';
import { readCategoryCell, readLabelCell, readNumericCell, type CellPlace } from '../../data/read-typed-cell.js';
import type { CsvTable } from '../../data/read-csv-table.js';
import { resolveHeaderColumns } from '../../data/resolve-header-columns.js';
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

export interface PartyTableOptions {
  idColumn: string;
  label?: LabelSpec;
  /**
   * Hears of every problem, and parsing goes on (`hefl check`): a bad numeric cell is then NaN, an
   * unknown category -1, a bad label 0, and `ids` keeps empty and repeated ids. Default: throw at the first.
   */
  report?: ReportDatasetProblem;
}

/** Header positions: id, numeric columns, categorical columns, label (-1 when absent or missing). */
interface PartyColumns {
  id: number;
  numeric: number[];
  categorical: number[];
  label: number;
}

function resolvePartyColumns(header: readonly string[], spec: PartyFeatureSpec, options: PartyTableOptions, source: string, report: ReportDatasetProblem): PartyColumns {
  const wanted = [
    { name: options.idColumn, role: 'id' },
    ...spec.numeric.map((name) => ({ name, role: 'numeric' })),
    ...spec.categorical.map((column) => ({ name: column.name, role: 'categorical' })),
    ...(options.label === undefined ? [] : [{ name: options.label.column, role: 'label' }]),
  ];
  const known = new Set([...wanted.map((column) => column.name), ...spec.ignored]);
  const positions = resolveHeaderColumns(header, wanted, known, {
    source,
    report,
    undeclared: (name) => `column "${name}" is not in this party's feature spec; add it to ignored to train without it`,
  });
  const categoricalEnd = 1 + spec.numeric.length + spec.categorical.length;
  return {
    id: positions[0] as number,
    numeric: positions.slice(1, 1 + spec.numeric.length),
    categorical: positions.slice(1 + spec.numeric.length, categoricalEnd),
    label: options.label === undefined ? -1 : (positions[categoricalEnd] as number),
  };
}

/**
 * Validates every cell and converts it, stopping at the first bad one with file, line and column.
 * Every header column must be the id, a feature, the label or explicitly ignored, so an undeclared
 * column (possibly a leaking one) is never silently used or dropped.
 */
export function parsePartyTable(table: CsvTable, spec: PartyFeatureSpec, options: PartyTableOptions): PartyTable {
  const { source, header, rows } = table;
  const report = options.report ?? throwDatasetProblem;
  const columns = resolvePartyColumns(header, spec, options, source, report);
  if (rows.length === 0) report({ source, message: 'no data rows after the header' });

  const lineOf = (row: number): number => table.rowLines?.[row] ?? row + 2;
  const matchers = spec.categorical.map((column) => categoryMatcher(column.categories));
  const matchLabel = categoryMatcher(options.label ? [options.label.negative, options.label.positive] : []);
  const numeric = spec.numeric.map(() => new Float64Array(rows.length).fill(Number.NaN));
  const categoricalIndex = spec.categorical.map(() => new Int32Array(rows.length).fill(-1));
  const labels = options.label === undefined ? undefined : new Uint8Array(rows.length);
  const ids: string[] = [];
  const idLines = new Map<string, number>();
  const place: CellPlace = { source, line: 0, column: '', report };
  for (const [row, cells] of rows.entries()) {
    const line = lineOf(row);
    if (cells.length !== header.length) {
      report({ source, line, message: `expected ${header.length} cells, found ${cells.length}` });
      ids.push('');
      continue;
    }
    place.line = line;
    place.column = options.idColumn;
    ids.push(columns.id < 0 ? '' : readId(cells[columns.id] as string, idLines, place));
    for (const [feature, position] of columns.numeric.entries()) {
      if (position < 0) continue;
      place.column = spec.numeric[feature] as string;
      (numeric[feature] as Float64Array)[row] = readNumericCell(cells[position] as string, place);
    }
    for (const [feature, position] of columns.categorical.entries()) {
      if (position < 0) continue;
      const column = spec.categorical[feature] as PartyFeatureSpec['categorical'][number];
      const match = matchers[feature] as (cell: string) => number | undefined;
      place.column = column.name;
      (categoricalIndex[feature] as Int32Array)[row] = readCategoryCell(cells[position] as string, column.categories, match, place);
    }
    if (labels !== undefined && options.label !== undefined && columns.label >= 0) {
      place.column = options.label.column;
      labels[row] = readLabelCell(cells[columns.label] as string, matchLabel, options.label, place) ?? 0;
    }
  }
  return { source, ids, numeric, categoricalIndex, ...(labels === undefined ? {} : { labels }), rowCount: rows.length };
}

/** The row's id; an empty or repeated one is reported (and kept, for a collecting caller). */
function readId(id: string, idLines: Map<string, number>, place: CellPlace): string {
  const { source, line, column, report } = place;
  if (id.trim() === '') {
    report({ source, line, column, cell: id, message: 'the id is empty' });
    return id;
  }
  const earlier = idLines.get(id);
  if (earlier !== undefined) report({ source, line, column, cell: id, message: `id ${JSON.stringify(id)} repeats line ${earlier}` });
  else idLines.set(id, line);
  return id;
}
