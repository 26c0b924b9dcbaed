import type { FeatureSchema } from '../../protocols/data/feature-schema.js';
import type { ReportDatasetProblem } from './dataset-problem.js';
import { resolveHeaderColumns } from './resolve-header-columns.js';

/** Header positions of the schema's columns, in schema order; -1 for a missing one (collecting mode only). */
export interface SchemaColumns {
  numeric: number[];
  categorical: number[];
  label: number;
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
): SchemaColumns {
  const wanted = [
    ...schema.numeric.map((name) => ({ name, role: 'numeric' })),
    ...schema.categorical.map((column) => ({ name: column.name, role: 'categorical' })),
    { name: schema.label.column, role: 'label' },
  ];
  const known = new Set([...wanted.map((column) => column.name), ...schema.ignored]);
  const positions = resolveHeaderColumns(header, wanted, known, {
    source,
    undeclared: (name) => `column "${name}" is not in the job's feature schema; add it to features.ignored to train without it`,
    ...(report ? { report } : {}),
  });
  const numericCount = schema.numeric.length;
  return {
    numeric: positions.slice(0, numericCount),
    categorical: positions.slice(numericCount, numericCount + schema.categorical.length),
    label: positions[positions.length - 1] as number,
  };
}
