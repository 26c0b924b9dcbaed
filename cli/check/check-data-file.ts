import type { FeatureSchema } from '../../protocols/data/feature-schema.js';
import { DatasetError } from '../../protocols/errors.js';
import type { LabelSpec, PartyFeatureSpec } from '../../protocols/vertical/party-feature-spec.js';
import { parseDataset } from '../../participant/data/parse-dataset.js';
import { readCsvTable, type CsvTable } from '../../participant/data/read-csv-table.js';
import { resolveSchemaColumns } from '../../participant/data/resolve-schema-columns.js';
import { parsePartyTable } from '../../participant/vertical/data/parse-party-table.js';
import { ProblemCollector, type CollectedProblems } from './problem-collector.js';
import {
  summarizeCategorical,
  summarizeIds,
  summarizeLabel,
  summarizeNumeric,
  type CategoricalSummary,
  type CellAt,
  type IdSummary,
  type LabelSummary,
  type NumericSummary,
} from './summarize-columns.js';

/** What `hefl check` found in one CSV file. */
export interface FileCheck {
  readonly file: string;
  /** "training data", "evaluation data" or "scoring data". */
  readonly role: string;
  readonly problems: CollectedProblems;
  /** Absent when the file could not be read as CSV at all. */
  readonly summary?: FileSummary;
}

export interface FileSummary {
  readonly rows: number;
  readonly id?: IdSummary;
  readonly label?: LabelSummary;
  readonly numeric: readonly NumericSummary[];
  readonly categorical: readonly CategoricalSummary[];
  /** Header columns the job does not declare (vertical parties; the horizontal check lists them as problems too). */
  readonly undeclared: readonly string[];
}

export interface FileToCheck {
  readonly path: string;
  readonly role: string;
  readonly delimiter?: string | undefined;
}

/** Reads the file collecting row-shape problems; a file that is no CSV at all becomes one problem. */
async function readCollecting(file: FileToCheck, collector: ProblemCollector): Promise<CsvTable | undefined> {
  try {
    return await readCsvTable(file.path, { report: collector.report, ...(file.delimiter ? { delimiter: file.delimiter } : {}) });
  } catch (error) {
    if (!(error instanceof DatasetError)) throw error;
    const prefix = `${file.path}: `;
    collector.report({ source: file.path, message: error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message });
    return undefined;
  }
}

function cellReader(table: CsvTable, position: number): CellAt | undefined {
  return position < 0 ? undefined : (row) => table.rows[row]?.[position] ?? '';
}

function undeclaredColumns(header: readonly string[], known: readonly string[]): string[] {
  const declared = new Set(known);
  return [...new Set(header)].filter((name) => !declared.has(name));
}

/** Checks a horizontal participant's CSV against the job's feature schema: every problem, and a summary. */
export async function checkHorizontalFile(file: FileToCheck, schema: FeatureSchema, cap?: number): Promise<FileCheck> {
  const collector = new ProblemCollector(cap);
  const table = await readCollecting(file, collector);
  if (table === undefined) return { file: file.path, role: file.role, problems: collector.result() };
  const dataset = parseDataset(table, schema, collector.report);
  const columns = resolveSchemaColumns(table.header, schema, table.source, () => undefined);
  const known = [...schema.numeric, ...schema.categorical.map((column) => column.name), schema.label.column, ...schema.ignored];
  const summary: FileSummary = {
    rows: dataset.rowCount,
    label: summarizeLabel(schema.label, dataset.rowCount, cellReader(table, columns.label)),
    numeric: schema.numeric.map((name, index) =>
      summarizeNumeric(name, dataset.numeric[index] as Float64Array, cellReader(table, columns.numeric[index] as number), dataset.missingNumeric?.[index]),
    ),
    categorical: schema.categorical.map((column, index) =>
      summarizeCategorical(column.name, column.categories, dataset.categoricalIndex[index] as Int32Array, cellReader(table, columns.categorical[index] as number), dataset.missingCategorical?.[index]),
    ),
    undeclared: undeclaredColumns(table.header, known),
  };
  return { file: file.path, role: file.role, problems: collector.result(), summary };
}

/** A vertical party's columns: its id column, feature spec and, for the label holder's training data, the label. */
export interface PartyColumnsSpec {
  readonly idColumn: string;
  readonly features: PartyFeatureSpec;
  readonly label?: LabelSpec | undefined;
}

/** Checks a vertical party's CSV (training or scoring) against its part of the job. */
export async function checkPartyFile(file: FileToCheck, party: PartyColumnsSpec, cap?: number): Promise<FileCheck> {
  const collector = new ProblemCollector(cap);
  const table = await readCollecting(file, collector);
  if (table === undefined) return { file: file.path, role: file.role, problems: collector.result() };
  const parsed = parsePartyTable(table, party.features, { idColumn: party.idColumn, report: collector.report, ...(party.label ? { label: party.label } : {}) });
  const position = (name: string): number => table.header.indexOf(name);
  const { features, label } = party;
  const summary: FileSummary = {
    rows: parsed.rowCount,
    id: summarizeIds(party.idColumn, parsed.rowCount, cellReader(table, position(party.idColumn))),
    ...(label ? { label: summarizeLabel(label, parsed.rowCount, cellReader(table, position(label.column))) } : {}),
    numeric: features.numeric.map((name, index) => summarizeNumeric(name, parsed.numeric[index] as Float64Array, cellReader(table, position(name)))),
    categorical: features.categorical.map((column, index) =>
      summarizeCategorical(column.name, column.categories, parsed.categoricalIndex[index] as Int32Array, cellReader(table, position(column.name))),
    ),
    undeclared: undeclaredColumns(table.header, [party.idColumn, ...features.numeric, ...features.categorical.map((column) => column.name), ...features.ignored, ...(label ? [label.column] : [])]),
  };
  return { file: file.path, role: file.role, problems: collector.result(), summary };
}
