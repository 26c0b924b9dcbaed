/**
 * For each feature j: ⟨d, x_j[rows]⟩ over the batch, d in batch order. These sums are exactly what the
 * encrypted path decrypts (coefficient 0 of Enc(d) ⊙ x̄_j), before division by the batch size.
 */
export function gradientFromResidual(columns: readonly Float64Array[], residual: Float64Array, rows: Int32Array): Float64Array {
  if (residual.length !== rows.length) throw new RangeError(`gradientFromResidual: ${residual.length} residuals for ${rows.length} rows`);
  const sums = new Float64Array(columns.length);
  for (let feature = 0; feature < columns.length; feature += 1) {
    const column = columns[feature] as Float64Array;
    let sum = 0;
    for (let position = 0; position < rows.length; position += 1) {
      const value = column[rows[position] as number];
      if (value === undefined) throw new RangeError(`gradientFromResidual: row ${rows[position]} is outside column ${feature}`);
      sum += (residual[position] as number) * value;
    }
    sums[feature] = sum;
  }
  return sums;
}
