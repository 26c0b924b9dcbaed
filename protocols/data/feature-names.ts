import type { FeatureSchema } from './feature-schema.js';
import { hasMissingCategory, indicatorColumns, indicatorName, MISSING_CATEGORY } from './missing-values.js';

/**
 * Names of the encoded features in encodeFeatures' column order: numeric columns, then a
 * missing-indicator per column that asks for one ("pdays (missing)"), then each categorical
 * column's one-hot block ("job=admin.", and "job=(missing)" last when missing cells get their own slot).
 */
export function featureNames(schema: FeatureSchema): string[] {
  return [
    ...schema.numeric,
    ...indicatorColumns(schema).map(indicatorName),
    ...schema.categorical.flatMap((column) => [
      ...column.categories.map((category) => `${column.name}=${category}`),
      ...(hasMissingCategory(schema, column.name) ? [`${column.name}=${MISSING_CATEGORY}`] : []),
    ]),
  ];
}
