import { describe, expect, it } from 'vitest';
import { featureSchemaSchema } from '../../protocols/data/feature-schema.js';
import { featureNames } from '../../protocols/data/feature-names.js';
import { meanFilledColumns } from '../../protocols/data/missing-values.js';
import { decodeStatisticsLimbs, encodeStatisticsLimbs } from '../../protocols/data/statistics-limbs.js';
import { computeFeatureStatistics } from './compute-feature-statistics.js';
import { encodeFeatures } from './encode-features.js';
import { parseDataset } from './parse-dataset.js';
import { parseCsvText } from './read-csv-table.js';
import { standardizationFromTotals } from './standardization-from-totals.js';

const schema = featureSchemaSchema.parse({
  numeric: ['bill', 'age'],
  categorical: [{ name: 'education', categories: [1, 2] }],
  label: { column: 'default', positive: 1, negative: 0 },
  missing: { markers: ['', 'NA'], columns: { bill: { fill: 'mean', indicator: true }, age: { fill: 30 }, education: { fill: 'missing-category' } } },
});

// Two nodes' files; pandas-style spellings (2.0, 1.0) for categories and labels.
const nodeA = 'bill,age,education,default\n100,20,1,1\nNA,,2.0,0\n300,40, ,1.0\n';
const nodeB = 'bill,age,education,default\n,50,2,0\n500,NA,1,0\n';

describe('missing values from CSV to model input', () => {
  it('fills with the federated mean of present cells (no row shared), a constant, or an own category, with indicators', () => {
    const datasets = [parseDataset(parseCsvText(nodeA, 'a.csv'), schema), parseDataset(parseCsvText(nodeB, 'b.csv'), schema)];
    const counted = meanFilledColumns(schema).length;
    // What crosses the wire: each node's limbs, summed (the coordinator's ciphertext sum in plaintext).
    const vectors = datasets.map((dataset) => encodeStatisticsLimbs(computeFeatureStatistics(dataset, schema), 2, counted));
    const summed = (vectors[0] as Float64Array).map((value, index) => value + (vectors[1] as Float64Array)[index]!);
    const standardization = standardizationFromTotals(decodeStatisticsLimbs(summed, 2, 2, counted), schema);

    // Centralized impute-then-standardize on the pooled rows: bill present 100, 300, 500 → mean 300;
    // filled column [100, 300, 300, 300, 500]; age filled with 30: [20, 30, 40, 50, 30].
    const pooledBill = [100, 300, 300, 300, 500];
    const pooledAge = [20, 30, 40, 50, 30];
    const std = (values: number[]): number => {
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      return Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length);
    };
    expect(standardization.means[0]).toBeCloseTo(300, 10);
    expect(standardization.stds[0]).toBeCloseTo(std(pooledBill), 10);
    expect(standardization.means[1]).toBeCloseTo(34, 10);
    expect(standardization.stds[1]).toBeCloseTo(std(pooledAge), 10);

    const encoded = encodeFeatures(datasets[0]!, schema, standardization);
    expect(featureNames(schema)).toEqual(['bill', 'age', 'bill (missing)', 'education=1', 'education=2', 'education=(missing)']);
    const rows = Array.from({ length: encoded.rowCount }, (_, row) => Array.from(encoded.features.subarray(row * encoded.width, (row + 1) * encoded.width)));
    expect(rows[1]![0]).toBe(0); // the mean, standardized
    expect(rows.map((row) => row[2])).toEqual([0, 1, 0]);
    expect(rows.map((row) => row.slice(3))).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(rows[1]![1]).toBeCloseTo((30 - 34) / std(pooledAge), 6);
    expect(Array.from(encoded.labels)).toEqual([1, 0, 1]);
  });

  it('without a policy, a missing cell is an error that says how to declare one', () => {
    const strict = featureSchemaSchema.parse({ ...schema, missing: undefined });
    expect(() => parseDataset(parseCsvText(nodeA, 'a.csv'), strict)).toThrow(
      'a.csv: line 3, column "bill": "NA" is not a finite number; if it means a missing value, declare features.missing.columns["bill"] with fill: mean or a number and list "NA" in features.missing.markers',
    );
    expect(() => parseDataset(parseCsvText(nodeB.replace(',50,2', '50,50, '), 'b.csv'), strict)).toThrow(
      /column "education": unknown category " "; declared: "1", "2"; if it means a missing value, declare features\.missing\.columns\["education"\] with fill: missing-category or a declared category/,
    );
  });

  it('refuses a mean fill when no node has a value in the column', () => {
    const empty = 'bill,age,education,default\n,20,1,1\n';
    const dataset = parseDataset(parseCsvText(empty, 'a.csv'), schema);
    expect(() => standardizationFromTotals(computeFeatureStatistics(dataset, schema), schema)).toThrow(
      'column "bill" has no value in any node\'s training rows, so there is no mean to fill it with; use a constant fill (features.missing.columns) or drop the column',
    );
  });
});
