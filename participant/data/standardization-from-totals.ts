import { DatasetError } from '../../protocols/errors.js';
import type { FeatureSchema } from '../../protocols/data/feature-schema.js';
import { meanFilledColumns } from '../../protocols/data/missing-values.js';
import { countRawStatistics } from '../../protocols/data/statistics-limbs.js';

export interface Standardization {
  means: Float64Array;
  stds: Float64Array;
}

/**
 * A variance below this fraction of max(1, E[x^2]) is treated as a constant column. The totals come
 * from CKKS decryption, whose error is absolute and grows with the magnitude of the sums of squares
 * (float64 encoding, smudging noise): for a column stuck at 999, E[x^2] - mean^2 cancels to noise of
 * ~1e-5 (a relative 1e-11 of E[x^2]), which would read as a std of a few thousandths. Dividing by
 * that would turn a constant into random values, and differently on each run.
 */
const RELATIVE_MIN_VARIANCE = 1e-9;

/**
 * Global means and population standard deviations from the summed round-0 statistics (layout of
 * computeFeatureStatistics). A constant column gets std 0. A mean-filled column's mean is over its
 * present cells, and its std is that of the filled column (missing cells at the mean add no spread),
 * as a centralized impute-then-standardize pipeline computes them.
 */
export function standardizationFromTotals(totals: ArrayLike<number>, schema: FeatureSchema): Standardization {
  const columns = schema.numeric.length;
  const counted = meanFilledColumns(schema);
  const expected = countRawStatistics(columns, counted.length);
  if (totals.length !== expected) {
    throw new DatasetError(`feature statistics have ${totals.length} values; ${columns} numeric columns${counted.length ? ` (${counted.length} mean-filled)` : ''} need ${expected}`);
  }
  const count = totals[totals.length - 1] as number;
  if (!(count > 0) || !Number.isFinite(count)) {
    throw new DatasetError(`feature statistics report a row count of ${count}; it must be positive`);
  }
  const means = new Float64Array(columns);
  const stds = new Float64Array(columns);
  for (let feature = 0; feature < columns; feature += 1) {
    const slot = counted.indexOf(feature);
    const present = slot < 0 ? count : (totals[2 * columns + slot] as number);
    if (!(present > 0)) {
      throw new DatasetError(
        `column "${schema.numeric[feature]}" has no value in any node's training rows, so there is no mean to fill it with; ` +
          'use a constant fill (features.missing.columns) or drop the column',
      );
    }
    const mean = (totals[feature] as number) / present;
    const meanSquare = (totals[columns + feature] as number) / count;
    // Σ over present cells of (x − mean)², divided by all rows: Q/N − (present/N)·mean².
    // CKKS decryption is approximate, so the variance of a constant column can come out slightly negative.
    const variance = Math.max(0, meanSquare - (present / count) * mean * mean);
    const std = Math.sqrt(variance);
    means[feature] = mean;
    // std 0 marks a constant column: encodeFeatures turns it into exact zeros. (x - mean) / 1 would
    // leave CKKS noise of ~1e-9 there, which Adam's normalized steps turn into a random-walking weight.
    stds[feature] = variance < RELATIVE_MIN_VARIANCE * Math.max(1, Math.abs(meanSquare)) ? 0 : std;
  }
  return { means, stds };
}
