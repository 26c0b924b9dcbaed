import { describe, expect, it } from 'vitest';
import { bankForwardPart, forwardPart, hostForwardPart, sumParts } from './forward-part.js';

const columns = [Float64Array.from([1, 2, 3, 4]), Float64Array.from([0.5, -1, 0, 2]), Float64Array.from([1, 1, 1, 1])];
const weights = [0.3, -2, 0.1];
const rows = Int32Array.from([3, 0, 2]);

describe('forward parts', () => {
  it('forwardPart is X[rows]·w in batch order', () => {
    const naive = [...rows].map((row) => columns.reduce((sum, column, j) => sum + (column[row] as number) * (weights[j] as number), 0));
    expect([...forwardPart(columns, weights, rows)]).toEqual(naive.map((value) => expect.closeTo(value, 12)));
  });

  it('bank part + host part = 0.5 + 0.25·u − y, the first-order Taylor residual', () => {
    const labels = Uint8Array.from([1, 0, 0, 1]);
    const bank = bankForwardPart(columns.slice(0, 2), weights.slice(0, 2), labels, rows);
    const host = hostForwardPart(columns.slice(2), weights.slice(2), rows);
    const u = forwardPart(columns, weights, rows);
    const d = sumParts([bank, host]);
    for (const [position, row] of [...rows].entries()) {
      expect(d[position]).toBeCloseTo(0.5 + 0.25 * (u[position] as number) - (labels[row] as number), 12);
    }
  });

  it('rejects labels other than 0/1 and mismatched weights', () => {
    expect(() => bankForwardPart(columns, weights, Float64Array.from([0, 0, 0, 2]), rows)).toThrow('label 2 at row 3');
    expect(() => forwardPart(columns, [1], rows)).toThrow('3 columns but 1 weights');
  });
});
