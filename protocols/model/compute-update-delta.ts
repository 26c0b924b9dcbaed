/** What local training changed: newWeights - globalWeights, element by element. */
export function computeUpdateDelta(newWeights: Float32Array, globalWeights: Float32Array): Float32Array {
  if (newWeights.length !== globalWeights.length) {
    throw new Error(`update delta needs equal lengths: new weights have ${newWeights.length}, global weights ${globalWeights.length}`);
  }
  const delta = new Float32Array(newWeights.length);
  for (let index = 0; index < delta.length; index++) {
    delta[index] = (newWeights[index] ?? 0) - (globalWeights[index] ?? 0);
  }
  return delta;
}
