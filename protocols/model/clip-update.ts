export interface ClippedUpdate {
  delta: Float32Array;
  clipped: boolean;
  /** The factor the delta was multiplied by: 1 when it was within bounds. */
  scaleApplied: number;
}

/**
 * Bounds the L2 norm of one participant's (unweighted) update delta, limiting how far any single
 * participant can pull the global model. maxNorm 0 disables clipping. Returns a new array.
 */
export function clipUpdate(delta: Float32Array, maxNorm: number): ClippedUpdate {
  if (!Number.isFinite(maxNorm) || maxNorm < 0) throw new Error(`clip norm must be a finite number >= 0, got ${maxNorm}`);
  let squares = 0;
  for (const value of delta) squares += value * value; // float64 accumulation: no overflow or drift
  const norm = Math.sqrt(squares);
  if (!Number.isFinite(norm)) throw new Error('update delta contains a non-finite value; refusing to send it');
  if (maxNorm === 0 || norm <= maxNorm) return { delta: delta.slice(), clipped: false, scaleApplied: 1 };
  const scale = maxNorm / norm;
  const clipped = new Float32Array(delta.length);
  for (let index = 0; index < delta.length; index++) clipped[index] = (delta[index] ?? 0) * scale;
  return { delta: clipped, clipped: true, scaleApplied: scale };
}
