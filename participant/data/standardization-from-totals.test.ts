import { describe, expect, it } from 'vitest';
import type { FeatureSchema } from '../../protocols/data/feature-schema.js';
import { standardizationFromTotals } from './standardization-from-totals.js';

const schema: FeatureSchema = {
  numeric: ['a', 'b', 'constant'],
  categorical: [],
  label: { column: 'y', positive: '1', negative: '0' },
  ignored: [],
};

function totalsOf(columns: number[][]): number[] {
  const rows = (columns[0] as number[]).length;
  return [
    ...columns.map((values) => values.reduce((sum, value) => sum + value, 0)),
    ...columns.map((values) => values.reduce((sum, value) => sum + value * value, 0)),
    rows,
  ];
}

describe('standardizationFromTotals', () => {
  it('matches the mean and population std computed directly, and maps constant columns to std 0 (encoded as exact zeros)', () => {
    const a = [2, 4, 4, 4, 5, 5, 7, 9]; // textbook population std 2
    const b = [5191, 5228.1, 4963.6, 5099.1, 5017.5, 5195.8, 5076.2, 5008.7];
    const constant = [999, 999, 999, 999, 999, 999, 999, 999];
    const { means, stds } = standardizationFromTotals(totalsOf([a, b, constant]), schema);
    expect(means[0]).toBeCloseTo(5, 12);
    expect(stds[0]).toBeCloseTo(2, 12);
    const meanB = b.reduce((sum, value) => sum + value, 0) / b.length;
    const stdB = Math.sqrt(b.reduce((sum, value) => sum + (value - meanB) ** 2, 0) / b.length);
    expect(means[1]).toBeCloseTo(meanB, 9);
    expect(stds[1]).toBeCloseTo(stdB, 6);
    expect(means[2]).toBe(999);
    expect(stds[2]).toBe(0);
  });

  it('treats a slightly negative variance from approximate decryption as a constant column', () => {
    // ten rows of 1: the sum of squares should be 10 but decrypted a hair lower
    const { means, stds } = standardizationFromTotals([10, 0, 0, 10 - 1e-9, 0, 0, 10], schema);
    expect(means[0]).toBe(1);
    expect(stds[0]).toBe(0);
  });

  it('rejects a non-positive count and a vector of the wrong length', () => {
    expect(() => standardizationFromTotals([1, 2, 3, 4, 5, 6, 0], schema)).toThrow(/row count of 0/);
    expect(() => standardizationFromTotals([1, 2, 3, 4, 5, 6, -2], schema)).toThrow(/row count of -2/);
    expect(() => standardizationFromTotals([1, 2, 3, 4, 5, 6], schema)).toThrow(/have 6 values; 3 numeric columns need 7/);
  });

  it('treats CKKS-level noise on the sums of squares of a constant column as constant, not as a tiny std', () => {
    const constant = new Array<number>(750).fill(999);
    const totals = totalsOf([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].flatMap((x) => new Array<number>(75).fill(x)), [...constant], constant]);
    // Decryption error of ~1e-7 on a sum of squares near 7.5e8 leaves a "variance" of ~1e-10.
    const noisy = Float64Array.from(totals);
    noisy[5] = (noisy[5] as number) + 1.3e-7;
    const { stds } = standardizationFromTotals(noisy, schema);
    expect(stds[2]).toBe(0);
    expect(stds[0]).toBeCloseTo(Math.sqrt(8.25), 6);
    // Measured with threshold decryption (smudging noise) on 900 rows stuck at 999: a "std" of 0.0025.
    const smudged = Float64Array.from(totals);
    smudged[5] = (smudged[5] as number) + 750 * 0.0025 ** 2;
    expect(standardizationFromTotals(smudged, schema).stds[2]).toBe(0);
  });

  it('keeps a real but small spread around a large mean', () => {
    const values = new Array<number>(750).fill(0).map((_, index) => 1000 + (index % 2 === 0 ? 0.5 : -0.5));
    const { stds } = standardizationFromTotals(totalsOf([values, values, values]), schema);
    expect(stds[0]).toBeCloseTo(0.5, 6);
  });
});

