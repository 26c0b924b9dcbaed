/**
 * mulberry32: a tiny 32-bit PRNG built only from integer ops and a division by 2^32, so a seed gives
 * the same sequence in every JS engine on every platform (unlike tfjs's RNG, whose stream depends on
 * the backend). Returns floats in [0, 1).
 */
export function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
