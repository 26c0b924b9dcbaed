import { describe, expect, it } from 'vitest';
import { choleskySolve } from './cholesky-solve.js';

describe('choleskySolve', () => {
  it('solves a symmetric positive-definite system', () => {
    const matrix = Float64Array.from([4, 2, 0.4, 2, 5, 1, 0.4, 1, 3]);
    const expected = [1, -2, 0.5];
    const rhs = Float64Array.from([0, 1, 2], (i) => expected.reduce((sum, x, j) => sum + (matrix[i * 3 + j] as number) * x, 0));
    expect([...choleskySolve(matrix, rhs)]).toEqual(expected.map((value) => expect.closeTo(value, 12)));
  });

  it('refuses a singular matrix', () => {
    expect(() => choleskySolve(Float64Array.from([1, 1, 1, 1]), Float64Array.from([1, 1]))).toThrow('not positive definite');
  });
});
