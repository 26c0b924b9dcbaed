import { DatasetError } from '../../protocols/errors.js';
import type { FeatureSchema } from '../../protocols/data/feature-schema.js';
import { featureWidth } from '../../protocols/data/feature-width.js';
import { hasMissingCategory, indicatorColumns } from '../../protocols/data/missing-values.js';
import type { LocalDataset } from './parse-dataset.js';
import type { Standardization } from './standardization-from-totals.js';

export interface EncodedFeatures {
  /** Row-major, `rowCount` x `width`. */
  features: Float32Array;
  labels: Float32Array;
  rowCount: number;
  width: number;
}

/**
 * Model input: standardized numeric columns in schema order (a mean-filled missing cell is the
 * federated mean, so exactly 0), then the 0/1 missing indicators, then a one-hot block per categorical
 * column in schema order (categories as declared, then the (missing) slot if any), matching featureNames(schema).
 */
export function encodeFeatures(
  dataset: LocalDataset,
  schema: FeatureSchema,
  standardization: Standardization,
): EncodedFeatures {
  const numericCount = schema.numeric.length;
  if (
    dataset.numeric.length !== numericCount ||
    dataset.categoricalIndex.length !== schema.categorical.length ||
    standardization.means.length !== numericCount ||
    standardization.stds.length !== numericCount
  ) {
    throw new DatasetError(`${dataset.source}: dataset or standardization does not match the feature schema`);
  }
  const width = featureWidth(schema);
  const { rowCount } = dataset;
  const features = new Float32Array(rowCount * width);
  for (let feature = 0; feature < numericCount; feature += 1) {
    const values = dataset.numeric[feature] as Float64Array;
    const mean = standardization.means[feature] as number;
    const std = standardization.stds[feature] as number;
    const missing = dataset.missingNumeric?.[feature];
    for (let row = 0; row < rowCount; row += 1) {
      const value = missing !== undefined && missing[row] === 1 && Number.isNaN(values[row]) ? mean : (values[row] as number);
      // std 0: constant across the federation's training rows, so it carries no signal; exactly 0.
      features[row * width + feature] = std === 0 ? 0 : (value - mean) / std;
    }
  }
  let offset = numericCount;
  for (const name of indicatorColumns(schema)) {
    const numericIndex = schema.numeric.indexOf(name);
    const missing = numericIndex >= 0 ? dataset.missingNumeric?.[numericIndex] : dataset.missingCategorical?.[schema.categorical.findIndex((column) => column.name === name)];
    if (missing === undefined) throw new DatasetError(`${dataset.source}: column "${name}" has no record of its missing cells`);
    for (let row = 0; row < rowCount; row += 1) features[row * width + offset] = missing[row] as number;
    offset += 1;
  }
  for (const [feature, column] of schema.categorical.entries()) {
    const indexes = dataset.categoricalIndex[feature] as Int32Array;
    const categories = column.categories.length + (hasMissingCategory(schema, column.name) ? 1 : 0);
    for (let row = 0; row < rowCount; row += 1) {
      const index = indexes[row] as number;
      // An out-of-range index would silently set a neighbouring column's one-hot bit.
      if (!(index >= 0 && index < categories)) {
        throw new DatasetError(`${dataset.source}: row ${row}, column "${column.name}": category index ${index} is out of range`);
      }
      features[row * width + offset + index] = 1;
    }
    offset += categories;
  }
  return { features, labels: Float32Array.from(dataset.labels), rowCount, width };
}
