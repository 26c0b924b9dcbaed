import { describe, expect, it } from 'vitest';
import { encodePartyColumns } from './encode-party-columns.js';
import type { PartyTable } from './parse-party-table.js';
import { partyFeatureSpecSchema } from '../../../protocols/vertical/party-feature-spec.js';
import { selectPartyRows } from './select-party-rows.js';

const spec = partyFeatureSpecSchema.parse({
  numeric: ['age', 'flat'],
  categorical: [{ name: 'loan', categories: ['no', 'yes', 'unknown'] }],
});
const rowCount = 200;
const table: PartyTable = {
  source: 'bank.csv',
  ids: Array.from({ length: rowCount }, (_, row) => `C${row}`),
  numeric: [Float64Array.from({ length: rowCount }, (_, row) => 20 + (row % 50) + (row === 7 ? 10_000 : 0)), new Float64Array(rowCount).fill(3)],
  categoricalIndex: [Int32Array.from({ length: rowCount }, (_, row) => row % 3)],
  rowCount,
};
const trainRows = Int32Array.from({ length: 150 }, (_, k) => k + 50);

describe('encodePartyColumns', () => {
  const encoded = encodePartyColumns(table, spec, { trainRows, intercept: true });

  it('lays out numerics, one-hot blocks and the intercept, matching names', () => {
    expect(encoded.names).toEqual(['age', 'flat', 'loan=no', 'loan=yes', 'loan=unknown', 'intercept']);
    expect(encoded.columns).toHaveLength(6);
    expect(encoded.interceptIndex).toBe(5);
    expect([...(encoded.columns[5] ?? [])].every((value) => value === 1)).toBe(true);
    for (let row = 0; row < rowCount; row += 1) {
      expect([2, 3, 4].map((j) => encoded.columns[j]?.[row])).toEqual([0, 1, 2].map((c) => (row % 3 === c ? 1 : 0)));
    }
  });

  it('standardises on the training rows only, leaves constants at 0, clips and quantises', () => {
    const mean = trainRows.reduce((sum, row) => sum + (table.numeric[0]?.[row] as number), 0) / trainRows.length;
    expect(encoded.standardization.means[0]).toBeCloseTo(mean, 12);
    expect(encoded.standardization.stds[1]).toBe(0);
    expect([...(encoded.columns[1] ?? [])].every((value) => value === 0)).toBe(true);
    // Row 7 is an outlier outside the training rows: clipped to +8, not stretching the scale.
    expect(encoded.columns[0]?.[7]).toBe(8);
    for (const column of encoded.columns) for (const value of column) expect(Number.isInteger(value * 256) && Math.abs(value) <= 8).toBe(true);
    const trainMean = trainRows.reduce((sum, row) => sum + (encoded.columns[0]?.[row] as number), 0) / trainRows.length;
    expect(Math.abs(trainMean)).toBeLessThan(2 ** -8);
  });

  it('honours featureScaleBits and clip', () => {
    const coarse = encodePartyColumns(table, spec, { trainRows, clip: 1, featureScaleBits: 2 });
    for (const value of coarse.columns[0] ?? []) expect(Number.isInteger(value * 4) && Math.abs(value) <= 1).toBe(true);
    expect(coarse.interceptIndex).toBeUndefined();
  });

  it('selectPartyRows reorders every column to the common order', () => {
    const aligned = selectPartyRows({ ...table, labels: Uint8Array.from({ length: rowCount }, (_, row) => row % 2) }, Int32Array.from([5, 2, 9]));
    expect(aligned.ids).toEqual(['C5', 'C2', 'C9']);
    expect([...(aligned.numeric[0] ?? [])]).toEqual([25, 22, 29]);
    expect([...(aligned.labels ?? [])]).toEqual([1, 0, 1]);
    expect(() => selectPartyRows(table, Int32Array.from([rowCount]))).toThrow('common row 0 points at local row 200');
  });
});
