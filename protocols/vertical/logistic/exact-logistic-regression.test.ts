import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../data/seeded-random.js';
import { exactLogisticRegression, scoreLogisticModel } from './exact-logistic-regression.js';
import { gradientFromResidual } from './gradient-from-residual.js';

const random = createSeededRandom(11);
const rowCount = 400;
const truth = [1.5, -1, 0.5, -0.8];
const columns = [
  ...Array.from({ length: 3 }, () => Float64Array.from({ length: rowCount }, () => random() * 2 - 1)),
  new Float64Array(rowCount).fill(1),
];
const labels = Uint8Array.from({ length: rowCount }, (_, row) => {
  const u = truth.reduce((sum, w, j) => sum + w * ((columns[j] as Float64Array)[row] as number), 0);
  return random() < 1 / (1 + Math.exp(-u)) ? 1 : 0;
});
const all = Int32Array.from({ length: rowCount }, (_, row) => row);

describe('exactLogisticRegression', () => {
  const l2 = 0.01;
  const model = exactLogisticRegression(columns, labels, { l2, interceptIndex: 3 });

  it('converges in a few Newton steps to a zero of the regularised gradient', () => {
    expect(model.converged).toBe(true);
    expect(model.iterations).toBeLessThan(12);
    const scores = scoreLogisticModel(columns, model, all);
    const residual = Float64Array.from(scores, (u, row) => 1 / (1 + Math.exp(-u)) - (labels[row] as number));
    const gradient = gradientFromResidual(columns, residual, all);
    gradient.forEach((sum, j) => expect(Math.abs(sum / rowCount + (j === 3 ? 0 : l2 * (model.weights[j] as number)))).toBeLessThan(1e-10));
  });

  it('matches a long plain gradient-descent run', () => {
    let weights = new Float64Array(columns.length);
    for (let step = 0; step < 20_000; step += 1) {
      const scores = scoreLogisticModel(columns, { weights }, all);
      const residual = Float64Array.from(scores, (u, row) => 1 / (1 + Math.exp(-u)) - (labels[row] as number));
      const sums = gradientFromResidual(columns, residual, all);
      weights = Float64Array.from(weights, (w, j) => w - 1 * ((sums[j] as number) / rowCount + (j === 3 ? 0 : l2 * w)));
    }
    expect([...weights]).toEqual([...model.weights].map((value) => expect.closeTo(value, 6)));
  });
});
