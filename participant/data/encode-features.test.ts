import { describe, expect, it } from 'vitest';
import type { FeatureSchema } from '../../protocols/data/feature-schema.js';
import { computeFeatureStatistics } from './compute-feature-statistics.js';
import { encodeFeatures } from './encode-features.js';
import { featureNames } from '../../protocols/data/feature-names.js';
import { parseDataset } from './parse-dataset.js';
import { parseCsvText } from './read-csv-table.js';
import { standardizationFromTotals } from './standardization-from-totals.js';

const schema: FeatureSchema = {
  numeric: ['age', 'campaign'],
  categorical: [
    { name: 'job', categories: ['admin.', 'student', 'retired'] },
    { name: 'loan', categories: ['no', 'yes'] },
  ],
  label: { column: 'y', positive: 'yes', negative: 'no' },
  ignored: [],
};

const csv = ['y,loan,campaign,job,age', 'yes,no,1,student,20', 'no,yes,3,retired,60', 'no,no,2,admin.,40', 'yes,yes,2,student,40'].join('\n');

describe('encodeFeatures', () => {
  const dataset = parseDataset(parseCsvText(csv, 'mini.csv'), schema);
  const standardization = standardizationFromTotals(computeFeatureStatistics(dataset, schema), schema);
  const encoded = encodeFeatures(dataset, schema, standardization);
  const row = (index: number): number[] => Array.from(encoded.features.subarray(index * encoded.width, (index + 1) * encoded.width));

  it('lays rows out as standardized numerics then one-hot blocks, matching featureNames', () => {
    expect(encoded.width).toBe(featureNames(schema).length);
    expect(encoded.rowCount).toBe(4);
    expect(encoded.features).toHaveLength(4 * 7);
    // age mean 40, population std sqrt(200); campaign mean 2, std sqrt(0.5)
    const expected = [
      [-20 / Math.sqrt(200), -1 / Math.sqrt(0.5), 0, 1, 0, 1, 0],
      [20 / Math.sqrt(200), 1 / Math.sqrt(0.5), 0, 0, 1, 0, 1],
      [0, 0, 1, 0, 0, 1, 0],
      [0, 0, 0, 1, 0, 0, 1],
    ];
    for (const [index, values] of expected.entries()) {
      row(index).forEach((value, column) => expect(value).toBeCloseTo(values[column] as number, 6));
    }
    expect(Array.from(encoded.labels)).toEqual([1, 0, 0, 1]);
  });

  it('gives each standardized numeric column mean 0 and variance 1 on the data that defined it', () => {
    for (let feature = 0; feature < schema.numeric.length; feature += 1) {
      const column = [0, 1, 2, 3].map((index) => row(index)[feature] as number);
      const mean = column.reduce((sum, value) => sum + value, 0) / column.length;
      const variance = column.reduce((sum, value) => sum + (value - mean) ** 2, 0) / column.length;
      expect(mean).toBeCloseTo(0, 6);
      expect(variance).toBeCloseTo(1, 5);
    }
  });

  it('encodes a column that was constant in training (std 0) as exact zeros, whatever its value', () => {
    const constant = { means: new Float64Array([999.000000001, 2]), stds: new Float64Array([0, 1]) };
    const encodedConstant = encodeFeatures(dataset, schema, constant);
    for (let index = 0; index < 4; index += 1) expect(encodedConstant.features[index * encodedConstant.width]).toBe(0);
    expect(encodedConstant.features[1]).toBe(-1);
  });

    it('sets exactly one bit per categorical block in every row', () => {
    for (let index = 0; index < encoded.rowCount; index += 1) {
      const values = row(index);
      expect(values.slice(2, 5).reduce((sum, value) => sum + value, 0)).toBe(1);
      expect(values.slice(5, 7).reduce((sum, value) => sum + value, 0)).toBe(1);
    }
  });

  it('rejects a standardization of the wrong size and an out-of-range category index', () => {
    const short = { means: new Float64Array(1), stds: new Float64Array(1) };
    expect(() => encodeFeatures(dataset, schema, short)).toThrow(/does not match the feature schema/);
    const corrupt = { ...dataset, categoricalIndex: [Int32Array.from([0, 0, 3, 0]), dataset.categoricalIndex[1] as Int32Array] };
    expect(() => encodeFeatures(corrupt, schema, standardization)).toThrow(/row 2, column "job": category index 3 is out of range/);
  });
});
