import { DatasetError } from '../../protocols/errors.js';
import type { FeatureSchema } from '../../protocols/data/feature-schema.js';
import { findSimilarName } from '../../protocols/data/find-similar-name.js';

/** Header positions of the schema's columns, in schema order. */
export interface SchemaColumns {
  numeric: number[];
  categorical: number[];
  label: number;
}

/**
 * Matches the header against the schema. Every header column must be used or explicitly ignored,
 * so a partner's extra column (possibly a leaking one) is never silently dropped or used.
 */
export function resolveSchemaColumns(header: readonly string[], schema: FeatureSchema, source: string): SchemaColumns {
  const positions = new Map<string, number>();
  for (const [index, name] of header.entries()) {
    if (positions.has(name)) throw new DatasetError(`${source}: line 1: column "${name}" appears twice in the header`);
    positions.set(name, index);
  }
  const find = (name: string, role: string): number => {
    const position = positions.get(name);
    if (position !== undefined) return position;
    const similar = findSimilarName(name, header);
    throw new DatasetError(
      `${source}: line 1: ${role} column "${name}" is missing from the header` +
        (similar === undefined ? '' : `; did you mean "${similar}"?`),
    );
  };
  const columns: SchemaColumns = {
    numeric: schema.numeric.map((name) => find(name, 'numeric')),
    categorical: schema.categorical.map((column) => find(column.name, 'categorical')),
    label: find(schema.label.column, 'label'),
  };
  const known = new Set([
    ...schema.numeric,
    ...schema.categorical.map((column) => column.name),
    schema.label.column,
    ...schema.ignored,
  ]);
  for (const name of header) {
    if (!known.has(name)) {
      throw new DatasetError(
        `${source}: line 1: column "${name}" is not in the job's feature schema; ` +
          `add it to features.ignored to train without it`,
      );
    }
  }
  return columns;
}
