import type { FeatureSchema } from '../../protocols/data/feature-schema.js';
import type { ReportDatasetProblem } from './dataset-problem.js';
import { resolveHeaderColumns } from './resolve-header-columns.js';

/** Header positions of the schema's columns, in schema order; -1 for a missing one (collecting mode only). */
export interface SchemaColumns {
  numeric: number[];
  categorical: number[];
  /** -1 when missing; always -1 for rows to score, whose label (if any) is not read. */
  label: number;
}

/** What the rows are for: training and evaluation need the label; scoring does not. */
export interface RowPurpose {
  /** Rows to score usually have no label: the label column may be missing and is not read when present. */
  readonly scoring?: boolean;
  /** Header columns outside the schema that are accepted and not read (the id column of rows to score). */
  readonly passThrough?: readonly string[];
}

/**
 * Matches the header against the schema. Every header column must be used or explicitly ignored,
 * so a partner's extra column (possibly a leaking one) is never silently dropped or used. Throws at
 * the first mismatch unless `report` collects them.
 */
export function resolveSchemaColumns(
  header: readonly string[],
  schema: FeatureSchema,
  source: string,
  report?: ReportDatasetProblem,
  purpose: RowPurpose = {},
): SchemaColumns {
  const wanted = [
    ...schema.numeric.map((name) => ({ name, role: 'numeric' })),
    ...schema.categorical.map((column) => ({ name: column.name, role: 'categorical' })),
    ...(purpose.scoring ? [] : [{ name: schema.label.column, role: 'label' }]),
  ];
  // A label column in a file to score is known (not an undeclared column), just never read.
  const known = new Set([...wanted.map((column) => column.name), schema.label.column, ...schema.ignored, ...(purpose.passThrough ?? [])]);
  const positions = resolveHeaderColumns(header, wanted, known, {
    source,
    undeclared: (name) => `column "${name}" is not in the job's feature schema; add it to features.ignored to train without it`,
    ...(report ? { report } : {}),
  });
  const numericCount = schema.numeric.length;
  return {
    numeric: positions.slice(0, numericCount),
    categorical: positions.slice(numericCount, numericCount + schema.categorical.length),
    label: purpose.scoring ? -1 : (positions[positions.length - 1] as number),
  };
}
