import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../data/seeded-random.js';
import { bankForwardPart, forwardPart } from './forward-part.js';
import { gradientFromResidual } from './gradient-from-residual.js';

const random = createSeededRandom(5);
const rowCount = 500;
const columns = Array.from({ length: 6 }, () => Float64Array.from({ length: rowCount }, () => Math.round((random() * 4 - 2) * 256) / 256));
const labels = Uint8Array.from({ length: rowCount }, () => (random() < 0.3 ? 1 : 0));
const rows = Int32Array.from({ length: 200 }, () => Math.floor(random() * rowCount));

describe('gradientFromResidual', () => {
  it('matches a naive double loop', () => {
    const residual = Float64Array.from(rows, () => random() - 0.5);
    const sums = gradientFromResidual(columns, residual, rows);
    for (let j = 0; j < columns.length; j += 1) {
      let naive = 0;
      for (let k = 0; k < rows.length; k += 1) naive += (residual[k] as number) * ((columns[j] as Float64Array)[rows[k] as number] as number);
      expect(sums[j]).toBeCloseTo(naive, 10);
    }
  });

  it('the Taylor gradient approaches the exact logistic gradient as u → 0 (error O(u³))', () => {
    const direction = Array.from({ length: columns.length }, () => random() - 0.5);
    const gap = (scale: number): number => {
      const weights = direction.map((value) => value * scale);
      const taylor = gradientFromResidual(columns, bankForwardPart(columns, weights, labels, rows), rows);
      const u = forwardPart(columns, weights, rows);
      const exactResidual = Float64Array.from(u, (value, k) => 1 / (1 + Math.exp(-value)) - (labels[rows[k] as number] as number));
      const exact = gradientFromResidual(columns, exactResidual, rows);
      return Math.max(...Array.from(taylor, (value, j) => Math.abs(value - (exact[j] as number))));
    };
    const [large, small] = [gap(0.1), gap(0.01)];
    expect(small).toBeLessThan(1e-3);
    // Ten times smaller weights, ~1000 times smaller error: the cubic term is the first that differs.
    expect(large / small).toBeGreaterThan(500);
  });
});
