import type { FeatureSchema } from './feature-schema.js';

/** Model input width: one per numeric column plus one per declared category (one-hot). */
export function featureWidth(schema: FeatureSchema): number {
  return schema.categorical.reduce((width, column) => width + column.categories.length, schema.numeric.length);
}
