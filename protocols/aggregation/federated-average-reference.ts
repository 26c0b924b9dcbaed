export interface PlainUpdate {
  readonly delta: ArrayLike<number>;
  readonly sampleCount: number;
}

/**
 * Plaintext FedAvg, the reference the encrypted path must match: sum_i n_i * delta_i / sum_i n_i.
 * Never used on the federation's wire; tests and the HE-off benchmark compare against it.
 */
export function federatedAverageReference(updates: readonly PlainUpdate[]): Float64Array {
  const first = updates[0];
  if (!first) throw new Error('federated average of no updates');
  const length = first.delta.length;
  const sum = new Float64Array(length);
  let totalWeight = 0;
  for (const update of updates) {
    if (update.delta.length !== length) throw new Error(`update lengths differ: ${update.delta.length} vs ${length}`);
    if (!(update.sampleCount > 0)) throw new Error(`sample count must be positive, got ${update.sampleCount}`);
    totalWeight += update.sampleCount;
    for (let index = 0; index < length; index += 1) sum[index] = (sum[index] as number) + update.sampleCount * (update.delta[index] as number);
  }
  for (let index = 0; index < length; index += 1) sum[index] = (sum[index] as number) / totalWeight;
  return sum;
}
