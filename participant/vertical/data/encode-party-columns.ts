import { DatasetError } from '../../../protocols/errors.js';
import type { PartyTable } from './parse-party-table.js';
import { type PartyFeatureSpec, partyFeatureNames } from '../../../protocols/vertical/party-feature-spec.js';
import { quantizeFeature } from './quantize-feature.js';
import { standardizeOnRows } from './standardize-on-rows.js';

export interface EncodePartyOptions {
  /** The aligned training rows (positions in the common order) that the standardisation is fitted on. */
  trainRows: Int32Array;
  clip?: number;
  featureScaleBits?: number;
  /** The bank: append a column of ones named "intercept". */
  intercept?: boolean;
  /** Encode with this standardisation instead of fitting one on trainRows (new customers, scored later). */
  standardization?: { means: Float64Array; stds: Float64Array };
}

export interface EncodedPartyColumns {
  /** One array per feature, in the common row order (the encrypted path multiplies one at a time). */
  columns: Float64Array[];
  names: string[];
  /** Index of the intercept column when requested. */
  interceptIndex?: number;
  /** Local standardisation per numeric column, to encode later rows (scoring) the same way. */
  standardization: { means: Float64Array; stds: Float64Array };
}

/**
 * One party's features for vertical training: numeric columns standardised on the party's own
 * training rows (no statistics round: no one else holds these columns), one-hot categoricals, then
 * every value clipped to ±clip and rounded to a multiple of 2^-featureScaleBits (quantizeFeature).
 * Column order: numerics, one-hot blocks, then the intercept, matching `names`.
 */
export function encodePartyColumns(table: PartyTable, spec: PartyFeatureSpec, options: EncodePartyOptions): EncodedPartyColumns {
  const clip = options.clip ?? 8;
  const bits = options.featureScaleBits ?? 8;
  if (table.numeric.length !== spec.numeric.length || table.categoricalIndex.length !== spec.categorical.length) {
    throw new DatasetError(`${table.source}: the parsed table does not match the party's feature spec`);
  }
  const { rowCount } = table;
  const means = new Float64Array(spec.numeric.length);
  const stds = new Float64Array(spec.numeric.length);
  const columns: Float64Array[] = [];
  for (const [feature, values] of table.numeric.entries()) {
    const { mean, std } = options.standardization
      ? { mean: options.standardization.means[feature] as number, std: options.standardization.stds[feature] as number }
      : standardizeOnRows(values, options.trainRows);
    means[feature] = mean;
    stds[feature] = std;
    columns.push(Float64Array.from(values, (value) => (std === 0 ? 0 : quantizeFeature((value - mean) / std, clip, bits))));
  }
  for (const [feature, column] of spec.categorical.entries()) {
    const indexes = table.categoricalIndex[feature] as Int32Array;
    const block = column.categories.map(() => new Float64Array(rowCount));
    for (let row = 0; row < rowCount; row += 1) {
      const index = indexes[row] as number;
      const target = block[index];
      // An out-of-range index would silently set a neighbouring column's bit.
      if (target === undefined) throw new DatasetError(`${table.source}: row ${row}, column "${column.name}": category index ${index} is out of range`);
      target[row] = quantizeFeature(1, clip, bits);
    }
    columns.push(...block);
  }
  const names = partyFeatureNames(spec);
  if (options.intercept === true) {
    columns.push(new Float64Array(rowCount).fill(1));
    names.push('intercept');
    return { columns, names, interceptIndex: columns.length - 1, standardization: { means, stds } };
  }
  return { columns, names, standardization: { means, stds } };
}
