import { describe, expect, it } from 'vitest';
import type { CoefficientTable } from './logistic-coefficients.js';
import { coefficientsCsv, coefficientsMarkdown } from './render-coefficients.js';

const table: CoefficientTable = {
  jobId: 'coefficients',
  label: { column: 'y', positive: 'yes' },
  intercept: { standardized: 0.3, originalUnits: -5.699999999999999 },
  rows: [
    { feature: 'age', column: 'age', standardized: 2, originalUnits: 0.2, mean: 40, std: 10 },
    { feature: 'balance', column: 'balance', standardized: -1, originalUnits: -0.002, mean: 1000, std: 500 },
    { feature: 'flat', column: 'flat', standardized: 9, originalUnits: 0, mean: 5, std: 0 },
    { feature: 'job=admin.', column: 'job', category: 'admin.', standardized: 0.5, originalUnits: 0.5 },
    { feature: 'job=student', column: 'job', category: 'student', standardized: -0.25, originalUnits: -0.25 },
  ],
};

describe('coefficient files', () => {
  it('coefficients.csv: the intercept, then one row per feature and per one-hot category', () => {
    expect(coefficientsCsv(table).split('\n')).toEqual([
      'feature,column,category,weight_standardized,weight_original_units,mean,std',
      '(intercept),,,0.3,-5.7,,',
      'age,age,,2,0.2,40,10',
      'balance,balance,,-1,-0.002,1000,500',
      'flat,flat,,9,0,5,0',
      'job=admin.,job,admin.,0.5,0.5,,',
      'job=student,job,student,-0.25,-0.25,,',
      '',
    ]);
  });

  it('coefficients.md: a table with the same numbers and how to read them', () => {
    const markdown = coefficientsMarkdown(table);
    expect(markdown).toContain('# Logistic-regression coefficients: coefficients');
    expect(markdown).toContain('Log-odds that `y` is `yes`');
    expect(markdown).toContain('| (intercept) | 0.3 | -5.7 | | |');
    expect(markdown).toContain('| balance | -1 | -0.002 | 1000 | 500 |');
    expect(markdown).toContain('| job=student | -0.25 | -0.25 |  |  |');
  });
});
