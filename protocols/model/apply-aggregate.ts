/**
 * The next global model: global + weightedSum / totalWeight, where weightedSum is the decrypted sum
 * of every participant's n * delta and totalWeight the sum of their n. Computed in float64, stored
 * as float32 like the model.
 */
export function applyAggregate(globalWeights: Float32Array, weightedSum: ArrayLike<number>, totalWeight: number): Float32Array {
  if (!Number.isFinite(totalWeight) || totalWeight <= 0) {
    throw new Error(`total weight must be a positive number, got ${totalWeight}`);
  }
  if (weightedSum.length !== globalWeights.length) {
    throw new Error(`aggregate has ${weightedSum.length} values; the global model has ${globalWeights.length}`);
  }
  const next = new Float32Array(globalWeights.length);
  for (let index = 0; index < next.length; index++) {
    next[index] = (globalWeights[index] ?? 0) + (weightedSum[index] ?? 0) / totalWeight;
  }
  return next;
}
