import { DatasetError } from '../../protocols/errors.js';
import type { FeatureSchema } from '../../protocols/data/feature-schema.js';
import type { LocalDataset } from './parse-dataset.js';

/**
 * The round-0 vector a participant encrypts: per numeric column (schema order) its sum, then per
 * column its sum of squares, then the row count. Summed across participants under encryption it
 * yields global means and standard deviations without revealing any one partner's statistics.
 */
export function computeFeatureStatistics(dataset: LocalDataset, schema: FeatureSchema): Float64Array {
  const columns = schema.numeric.length;
  if (dataset.numeric.length !== columns) {
    throw new DatasetError(
      `${dataset.source}: has ${dataset.numeric.length} numeric columns but the schema declares ${columns}`,
    );
  }
  const statistics = new Float64Array(2 * columns + 1);
  for (let feature = 0; feature < columns; feature += 1) {
    const values = dataset.numeric[feature] as Float64Array;
    let sum = 0;
    let sumOfSquares = 0;
    for (let row = 0; row < dataset.rowCount; row += 1) {
      const value = values[row] as number;
      sum += value;
      sumOfSquares += value * value;
    }
    statistics[feature] = sum;
    statistics[columns + feature] = sumOfSquares;
  }
  statistics[2 * columns] = dataset.rowCount;
  return statistics;
}
