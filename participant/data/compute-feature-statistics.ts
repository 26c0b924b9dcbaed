import { DatasetError } from '../../protocols/errors.js';
import type { FeatureSchema } from '../../protocols/data/feature-schema.js';
import { meanFilledColumns } from '../../protocols/data/missing-values.js';
import { countRawStatistics, MAX_ROWS_PER_NODE } from '../../protocols/data/statistics-limbs.js';
import type { LocalDataset } from './parse-dataset.js';

/**
 * This node's round-0 statistics in float64: per numeric column (schema order) its sum, then per
 * column its sum of squares, then per mean-filled column (protocols/data/missing-values.ts) its count
 * of present cells — its sums skip the missing ones — then the row count. They never leave the node as such: run-local-round
 * writes them as fixed-point limbs (protocols/data/statistics-limbs.ts), which are encrypted and summed.
 * Sums are compensated (Neumaier), so their relative error stays ~1e-16 whatever the row count.
 */
export function computeFeatureStatistics(dataset: LocalDataset, schema: FeatureSchema): Float64Array {
  const columns = schema.numeric.length;
  if (dataset.numeric.length !== columns) {
    throw new DatasetError(
      `${dataset.source}: has ${dataset.numeric.length} numeric columns but the schema declares ${columns}`,
    );
  }
  if (dataset.rowCount > MAX_ROWS_PER_NODE) {
    throw new DatasetError(`${dataset.source}: ${dataset.rowCount} rows; a node may bring at most ${MAX_ROWS_PER_NODE}`);
  }
  const counted = meanFilledColumns(schema);
  const statistics = new Float64Array(countRawStatistics(columns, counted.length));
  for (let feature = 0; feature < columns; feature += 1) {
    const values = dataset.numeric[feature] as Float64Array;
    // Only a mean-filled column holds NaN placeholders (its missing cells); those are skipped.
    const missing = counted.includes(feature) ? dataset.missingNumeric?.[feature] : undefined;
    statistics[feature] = compensatedSum(values, dataset.rowCount, false, missing);
    statistics[columns + feature] = compensatedSum(values, dataset.rowCount, true, missing);
  }
  for (const [slot, feature] of counted.entries()) {
    const missing = dataset.missingNumeric?.[feature];
    statistics[2 * columns + slot] = dataset.rowCount - (missing ? missing.reduce((sum, flag) => sum + flag, 0) : 0);
  }
  statistics[statistics.length - 1] = dataset.rowCount;
  return statistics;
}

/** Neumaier's compensated sum of the first `count` values (or of their squares), skipping rows flagged in `skip`. */
export function compensatedSum(values: Float64Array, count: number, squared: boolean, skip?: Uint8Array): number {
  let sum = 0;
  let compensation = 0;
  for (let row = 0; row < count; row += 1) {
    if (skip !== undefined && skip[row] === 1) continue;
    const value = values[row] as number;
    const term = squared ? value * value : value;
    const next = sum + term;
    compensation += Math.abs(sum) >= Math.abs(term) ? sum - next + term : term - next + sum;
    sum = next;
  }
  return sum + compensation;
}
