import { describe, expect, it } from 'vitest';
import type { FeatureSchema } from '../../protocols/data/feature-schema.js';
import { compensatedSum, computeFeatureStatistics } from './compute-feature-statistics.js';
import type { LocalDataset } from './parse-dataset.js';

const schema: FeatureSchema = {
  numeric: ['age', 'pdays'],
  categorical: [],
  label: { column: 'y', positive: 'yes', negative: 'no' },
  ignored: [],
};

function dataset(age: number[], pdays: number[]): LocalDataset {
  return {
    source: 'test',
    numeric: [Float64Array.from(age), Float64Array.from(pdays)],
    categoricalIndex: [],
    labels: new Uint8Array(age.length),
    rowCount: age.length,
  };
}

describe('computeFeatureStatistics', () => {
  it('lays out sums, then sums of squares, then the row count', () => {
    expect(Array.from(computeFeatureStatistics(dataset([1, 2, 3], [999, 0, -1]), schema))).toEqual([
      6, 998, 14, 999 * 999 + 1, 3,
    ]);
  });

  it('is additive: two partners\' vectors sum to the vector of their pooled rows', () => {
    const a = computeFeatureStatistics(dataset([20, 35], [3, 999]), schema);
    const b = computeFeatureStatistics(dataset([61, 44, 18], [999, 6, 2]), schema);
    const pooled = computeFeatureStatistics(dataset([20, 35, 61, 44, 18], [3, 999, 999, 6, 2]), schema);
    expect(Array.from(a, (value, index) => value + (b[index] as number))).toEqual(Array.from(pooled));
  });

  it('sums with compensation: a million values of 0.1 after 1e16 are not lost as in a naive sum', () => {
    const values = new Float64Array(1_000_000).fill(0.1);
    values[0] = 1e16;
    // Naive summation drops every 0.1 against 1e16 (half an ulp is 1); the compensated sum keeps them.
    expect(compensatedSum(values, values.length, false)).toBe(1e16 + 99_999.9);
    expect(compensatedSum(Float64Array.from([3, -4]), 2, true)).toBe(25);
  });

  it('refuses more rows than the statistics schedule carries', () => {
    expect(() => computeFeatureStatistics({ ...dataset([1], [2]), rowCount: 2 ** 32 + 1 }, schema)).toThrow(/at most 4294967296/);
  });

  it('rejects a dataset parsed with another schema', () => {
    const wrong = { ...dataset([1], [2]), numeric: [new Float64Array(1)] };
    expect(() => computeFeatureStatistics(wrong, schema)).toThrow(/1 numeric columns but the schema declares 2/);
  });
});
