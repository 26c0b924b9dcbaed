import type { FeatureSchema } from './feature-schema.js';

/** Names of the encoded features in encodeFeatures' column order, e.g. "age", "job=admin.". */
export function featureNames(schema: FeatureSchema): string[] {
  return [
    ...schema.numeric,
    ...schema.categorical.flatMap((column) => column.categories.map((category) => `${column.name}=${category}`)),
  ];
}
