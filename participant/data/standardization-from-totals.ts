import { DatasetError } from '../../protocols/errors.js';
import type { FeatureSchema } from '../../protocols/data/feature-schema.js';

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
 * Global means and population standard deviations from the summed round-0 statistics
 * (layout of computeFeatureStatistics: sums, sums of squares, row count). A constant column gets std 0.
 */
export function standardizationFromTotals(totals: ArrayLike<number>, schema: FeatureSchema): Standardization {
  const columns = schema.numeric.length;
  if (totals.length !== 2 * columns + 1) {
    throw new DatasetError(
      `feature statistics have ${totals.length} values; ${columns} numeric columns need ${2 * columns + 1}`,
    );
  }
  const count = totals[2 * columns] as number;
  if (!(count > 0) || !Number.isFinite(count)) {
    throw new DatasetError(`feature statistics report a row count of ${count}; it must be positive`);
  }
  const means = new Float64Array(columns);
  const stds = new Float64Array(columns);
  for (let feature = 0; feature < columns; feature += 1) {
    const mean = (totals[feature] as number) / count;
    const meanSquare = (totals[columns + feature] as number) / count;
    // CKKS decryption is approximate, so the variance of a constant column can come out slightly negative.
    const variance = Math.max(0, meanSquare - mean * mean);
    const std = Math.sqrt(variance);
    means[feature] = mean;
    // std 0 marks a constant column: encodeFeatures turns it into exact zeros. (x - mean) / 1 would
    // leave CKKS noise of ~1e-9 there, which Adam's normalized steps turn into a random-walking weight.
    stds[feature] = variance < RELATIVE_MIN_VARIANCE * Math.max(1, Math.abs(meanSquare)) ? 0 : std;
  }
  return { means, stds };
}
