/**
 * Solves A x = b for a symmetric positive-definite A (row-major, n × n) by Cholesky, A = L Lᵀ.
 * Throws when A is not positive definite (e.g. collinear columns without L2).
 */
export function choleskySolve(matrix: Float64Array, rhs: Float64Array): Float64Array {
  const n = rhs.length;
  if (matrix.length !== n * n) throw new RangeError(`choleskySolve: matrix of ${matrix.length} entries for ${n} unknowns`);
  const lower = new Float64Array(n * n);
  for (let i = 0; i < n; i += 1) {
    for (let j = 0; j <= i; j += 1) {
      let sum = matrix[i * n + j] as number;
      for (let k = 0; k < j; k += 1) sum -= (lower[i * n + k] as number) * (lower[j * n + k] as number);
      if (i === j) {
        if (!(sum > 0)) throw new RangeError(`choleskySolve: matrix is not positive definite (pivot ${i} is ${sum})`);
        lower[i * n + i] = Math.sqrt(sum);
      } else {
        lower[i * n + j] = sum / (lower[j * n + j] as number);
      }
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    let sum = rhs[i] as number;
    for (let k = 0; k < i; k += 1) sum -= (lower[i * n + k] as number) * (y[k] as number);
    y[i] = sum / (lower[i * n + i] as number);
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i -= 1) {
    let sum = y[i] as number;
    for (let k = i + 1; k < n; k += 1) sum -= (lower[k * n + i] as number) * (x[k] as number);
    x[i] = sum / (lower[i * n + i] as number);
  }
  return x;
}
