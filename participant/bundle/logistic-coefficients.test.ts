import { describe, expect, it } from 'vitest';
import type { Preprocessing } from './preprocessing-file.js';
import { logisticCoefficients } from './logistic-coefficients.js';

const preprocessing: Preprocessing = {
  format: 'hefl-preprocessing/1',
  jobId: 'coefficients',
  features: {
    numeric: ['age', 'balance', 'flat'],
    categorical: [{ name: 'job', categories: ['admin.', 'student'] }],
    label: { column: 'y', positive: 'yes', negative: 'no' },
    ignored: [],
  },
  featureNames: ['age', 'balance', 'flat', 'job=admin.', 'job=student'],
  numericMeans: [40, 1000, 5],
  numericStds: [10, 500, 0],
};

describe('logisticCoefficients', () => {
  it('gives each weight on the standardized scale and per original unit, the intercept adjusted by −Σ w·mean/std', () => {
    const table = logisticCoefficients([2, -1, 9, 0.5, -0.25], 0.3, preprocessing);
    expect(table.rows.map((row) => [row.feature, row.standardized, row.originalUnits])).toEqual([
      ['age', 2, 0.2],
      ['balance', -1, -0.002],
      // Constant in training (std 0): never reaches the model, on either scale.
      ['flat', 9, 0],
      ['job=admin.', 0.5, 0.5],
      ['job=student', -0.25, -0.25],
    ]);
    expect(table.intercept.standardized).toBe(0.3);
    // 0.3 − (2·40/10 + (−1)·1000/500) = 0.3 − (8 − 2) = −5.7
    expect(table.intercept.originalUnits).toBeCloseTo(-5.7, 12);
    expect(table.rows[3]).toMatchObject({ column: 'job', category: 'admin.' });
    expect(table.label).toEqual({ column: 'y', positive: 'yes' });
  });

  it('computes the same log-odds from raw values as the standardized model does', () => {
    const weights = [0.7, 1.3, -2, 0.1, 0.9];
    const table = logisticCoefficients(weights, -0.4, preprocessing);
    const raw = { age: 55, balance: 250, flat: 5, job: 1 };
    const standardized = -0.4 + 0.7 * ((55 - 40) / 10) + 1.3 * ((250 - 1000) / 500) + 0.9;
    const original = table.intercept.originalUnits + (table.rows[0]?.originalUnits ?? 0) * raw.age + (table.rows[1]?.originalUnits ?? 0) * raw.balance + (table.rows[2]?.originalUnits ?? 0) * raw.flat + (table.rows[4]?.originalUnits ?? 0);
    expect(original).toBeCloseTo(standardized, 12);
  });

  it('follows featureNames with missing-value policies: indicators after the numerics, a (missing) slot after its categories', () => {
    const withMissing: Preprocessing = {
      ...preprocessing,
      features: { ...preprocessing.features, missing: { markers: [''], columns: { balance: { fill: 'mean', indicator: true }, job: { fill: 'missing-category', indicator: false } } } },
      featureNames: ['age', 'balance', 'flat', 'balance (missing)', 'job=admin.', 'job=student', 'job=(missing)'],
    };
    const table = logisticCoefficients([2, -1, 9, 0.7, 0.5, -0.25, 0.1], 0.3, withMissing);
    expect(table.rows.slice(3).map((row) => [row.feature, row.column, row.category, row.originalUnits])).toEqual([
      ['balance (missing)', 'balance', undefined, 0.7],
      ['job=admin.', 'job', 'admin.', 0.5],
      ['job=student', 'job', 'student', -0.25],
      ['job=(missing)', 'job', '(missing)', 0.1],
    ]);
  });

  it('refuses weights that do not match the features', () => {
    expect(() => logisticCoefficients([1, 2], 0, preprocessing)).toThrow('2 weights for 5 features');
  });
});
