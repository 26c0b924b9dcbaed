/**
 * Clips to [−clip, clip], then rounds to the nearest multiple of 2^-bits, halves away from zero
 * (symmetric, so quantising −x gives −quantising x). The result is exactly representable at the
 * encrypted path's plaintext scale Δ_x = 2^bits. A clip off the grid is rounded down onto it so the
 * bound still holds after rounding.
 */
export function quantizeFeature(value: number, clip: number, bits: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`quantizeFeature: ${value} is not finite`);
  const scale = 2 ** bits;
  const bound = Math.floor(clip * scale) / scale;
  const clipped = Math.min(bound, Math.max(-bound, value));
  const magnitude = Math.floor(Math.abs(clipped) * scale + 0.5) / scale;
  // +0 rather than −0, so equal features compare and serialise equal.
  return magnitude === 0 ? 0 : Math.sign(clipped) * magnitude;
}
