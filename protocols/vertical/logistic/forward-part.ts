/** Checks that weights and columns agree and every column covers every row index used. */
function checkShapes(columns: readonly Float64Array[], weights: ArrayLike<number>, name: string): void {
  if (columns.length !== weights.length) {
    throw new RangeError(`${name}: ${columns.length} columns but ${weights.length} weights`);
  }
}

/** u_i = X_i[rows] · w_i: one party's share of the linear score, in batch order. */
export function forwardPart(columns: readonly Float64Array[], weights: ArrayLike<number>, rows: Int32Array): Float64Array {
  checkShapes(columns, weights, 'forwardPart');
  const out = new Float64Array(rows.length);
  // Column by column (the data layout); each out[r] is still summed in feature order, as a row dot product would be.
  for (let feature = 0; feature < columns.length; feature += 1) {
    const column = columns[feature] as Float64Array;
    const weight = weights[feature] as number;
    if (weight === 0) continue;
    for (let position = 0; position < rows.length; position += 1) {
      const value = column[rows[position] as number];
      if (value === undefined) throw new RangeError(`forwardPart: row ${rows[position]} is outside column ${feature} (${column.length} rows)`);
      out[position] = (out[position] as number) + value * weight;
    }
  }
  return out;
}

/** A host's upload: 0.25 · u_h (the slope of σ at 0 times its score share). */
export function hostForwardPart(columns: readonly Float64Array[], weights: ArrayLike<number>, rows: Int32Array): Float64Array {
  const part = forwardPart(columns, weights, rows);
  for (let position = 0; position < part.length; position += 1) part[position] = 0.25 * (part[position] as number);
  return part;
}

/**
 * The bank's upload: 0.25 · u_B + 0.5 − y. Summed with the hosts' parts it is the residual
 * d = 0.5 + 0.25·u − y ≈ σ(u) − y (first-order Taylor of σ at 0), the logistic-gradient weight per row.
 * The intercept is one of the bank's columns (all ones), so it needs no special case here.
 * With y' = 2y − 1 ∈ {−1, +1}, 0.5 − y = −0.5·y': the same d as FATE's half_d = 0.25·u − 0.5·y' (design §2.3).
 */
export function bankForwardPart(
  columns: readonly Float64Array[],
  weights: ArrayLike<number>,
  labels: ArrayLike<number>,
  rows: Int32Array,
): Float64Array {
  const part = forwardPart(columns, weights, rows);
  for (let position = 0; position < part.length; position += 1) {
    const label = labels[rows[position] as number];
    if (label !== 0 && label !== 1) throw new RangeError(`bankForwardPart: label ${label} at row ${rows[position]} is not 0 or 1`);
    part[position] = 0.25 * (part[position] as number) + 0.5 - label;
  }
  return part;
}

/** d = Σ parts, elementwise, in party order (the coordinator's sum of the uploads). */
export function sumParts(parts: readonly Float64Array[]): Float64Array {
  const first = parts[0];
  if (first === undefined) throw new RangeError('sumParts: no parts');
  const out = Float64Array.from(first);
  for (const part of parts.slice(1)) {
    if (part.length !== out.length) throw new RangeError(`sumParts: parts of ${out.length} and ${part.length} rows`);
    for (let position = 0; position < out.length; position += 1) out[position] = (out[position] as number) + (part[position] as number);
  }
  return out;
}
