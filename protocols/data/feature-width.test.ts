import { describe, expect, it } from 'vitest';
import type { FeatureSchema } from './feature-schema.js';
import { featureNames } from './feature-names.js';
import { featureWidth } from './feature-width.js';

describe('featureWidth', () => {
  it('counts numeric columns plus every declared category, agreeing with featureNames', () => {
    const schema: FeatureSchema = {
      numeric: ['age', 'pdays'],
      categorical: [
        { name: 'job', categories: ['admin.', 'student', 'retired'] },
        { name: 'loan', categories: ['no', 'yes'] },
      ],
      label: { column: 'y', positive: 'yes', negative: 'no' },
      ignored: ['duration'],
    };
    expect(featureWidth(schema)).toBe(7);
    expect(featureNames(schema)).toHaveLength(featureWidth(schema));
  });

  it('is the numeric count when there are no categorical columns', () => {
    const schema: FeatureSchema = { numeric: ['a', 'b', 'c'], categorical: [], label: { column: 'y', positive: '1', negative: '0' }, ignored: [] };
    expect(featureWidth(schema)).toBe(3);
  });
});
