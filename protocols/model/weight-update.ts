/**
 * Multiplies a delta by the participant's sample count before encryption, so the coordinator only
 * ever adds ciphertexts and the weighted mean is sum / total sample count. Float64 keeps the
 * products exact enough for large counts.
 */
export function weightUpdate(delta: Float32Array, sampleCount: number): Float64Array {
  if (!Number.isFinite(sampleCount) || sampleCount <= 0) {
    throw new Error(`sample count must be a positive number, got ${sampleCount}`);
  }
  const weighted = new Float64Array(delta.length);
  for (let index = 0; index < delta.length; index++) weighted[index] = (delta[index] ?? 0) * sampleCount;
  return weighted;
}
