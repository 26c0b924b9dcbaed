import type { FeatureSchema } from './feature-schema.js';
import { featureNames } from './feature-names.js';

/** Model input width: numeric columns, missing indicators, then one per category slot (one-hot). */
export function featureWidth(schema: FeatureSchema): number {
  return featureNames(schema).length;
}
