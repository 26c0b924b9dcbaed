/**
 * Mean and population standard deviation of `values` over `rows` only (the party's aligned training
 * rows), two-pass in Float64. A column constant on those rows gets std 0 and encodes to exact zeros.
 */
export function standardizeOnRows(values: Float64Array, rows: Int32Array): { mean: number; std: number } {
  if (rows.length === 0) throw new RangeError('standardizeOnRows: no rows');
  let sum = 0;
  for (const row of rows) sum += values[row] as number;
  const mean = sum / rows.length;
  let squares = 0;
  for (const row of rows) squares += ((values[row] as number) - mean) ** 2;
  const std = Math.sqrt(squares / rows.length);
  // Relative threshold: a constant column's std comes out as rounding noise, not exactly 0.
  return { mean, std: std <= 1e-12 * Math.max(1, Math.abs(mean)) ? 0 : std };
}
