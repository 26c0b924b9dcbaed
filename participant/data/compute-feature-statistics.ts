import { DatasetError } from '../../protocols/errors.js';
import type { FeatureSchema } from '../../protocols/data/feature-schema.js';
import { MAX_ROWS_PER_NODE } from '../../protocols/data/statistics-limbs.js';
import type { LocalDataset } from './parse-dataset.js';

/**
 * This node's round-0 statistics in float64: per numeric column (schema order) its sum, then per
 * column its sum of squares, then the row count. They never leave the node as such: run-local-round
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
  const statistics = new Float64Array(2 * columns + 1);
  for (let feature = 0; feature < columns; feature += 1) {
    const values = dataset.numeric[feature] as Float64Array;
    statistics[feature] = compensatedSum(values, dataset.rowCount, false);
    statistics[columns + feature] = compensatedSum(values, dataset.rowCount, true);
  }
  statistics[2 * columns] = dataset.rowCount;
  return statistics;
}

/** Neumaier's compensated sum of the first `count` values (or of their squares). */
export function compensatedSum(values: Float64Array, count: number, squared: boolean): number {
  let sum = 0;
  let compensation = 0;
  for (let row = 0; row < count; row += 1) {
    const value = values[row] as number;
    const term = squared ? value * value : value;
    const next = sum + term;
    compensation += Math.abs(sum) >= Math.abs(term) ? sum - next + term : term - next + sum;
    sum = next;
  }
  return sum + compensation;
}
