/**
 * Folds several integers (job seed, round, epoch, ...) into one 32-bit seed with murmur3's fmix32,
 * so neighbouring rounds get unrelated streams instead of shifted copies of one stream.
 */
export function mixSeed(...parts: number[]): number {
  let hash = 0x9e3779b9;
  for (const part of parts) {
    hash = finalize((hash ^ finalize(part | 0)) + 0x7f4a7c15);
  }
  return hash >>> 0;
}

function finalize(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
