import { describe, expect, it } from 'vitest';
import type { FeatureSchema } from './feature-schema.js';
import { featureNames } from './feature-names.js';

describe('featureNames', () => {
  it('lists numeric names, then column=category in declared order', () => {
    const schema: FeatureSchema = {
      numeric: ['age', 'emp.var.rate'],
      categorical: [
        { name: 'job', categories: ['admin.', 'blue-collar'] },
        { name: 'contact', categories: ['cellular', 'telephone'] },
      ],
      label: { column: 'y', positive: 'yes', negative: 'no' },
      ignored: [],
    };
    expect(featureNames(schema)).toEqual([
      'age',
      'emp.var.rate',
      'job=admin.',
      'job=blue-collar',
      'contact=cellular',
      'contact=telephone',
    ]);
  });
});
