import { describe, expect, it } from 'vitest';
import { countModelParameters, countStatisticsValues } from './count-model-parameters.js';
import { featureSchemaSchema } from './job-spec.js';

const features = featureSchemaSchema.parse({
  numeric: ['a', 'b'],
  categorical: [{ name: 'c', categories: ['x', 'y', 'z'] }],
  label: { column: 'y', positive: '1', negative: '0' },
});

describe('countModelParameters', () => {
  it('counts a logistic regression as width + 1', () => {
    expect(countModelParameters({ model: { kind: 'logistic-regression' }, features })).toBe(6);
  });
  it('counts kernels and biases of every dense layer plus the output unit', () => {
    const model = { kind: 'sequential' as const, hiddenLayers: [{ type: 'dense' as const, units: 4, activation: 'relu' as const }] };
    expect(countModelParameters({ model, features })).toBe(5 * 4 + 4 + 4 * 1 + 1);
  });
  it('sizes the statistics vector: per numeric column 8 limbs of its sum and 11 of its sum of squares, then 2 of the count', () => {
    expect(countStatisticsValues({ features })).toBe(2 * (8 + 11) + 2);
  });
});
