/** Copies rows of a row-major matrix into a new matrix in the given order (one block copy per row). */
export function gatherRows(matrix: Float32Array, width: number, order: ArrayLike<number>): Float32Array {
  const gathered = new Float32Array(order.length * width);
  for (let target = 0; target < order.length; target++) {
    const start = (order[target] ?? 0) * width;
    gathered.set(matrix.subarray(start, start + width), target * width);
  }
  return gathered;
}
