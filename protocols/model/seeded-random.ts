/**
 * mulberry32: a tiny 32-bit PRNG, uniform on [0, 1). Used so splits and shuffles are reproducible
 * from the job's seed on every participant, which Math.random cannot give.
 */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** Anything indexable and writable: plain arrays and typed arrays. */
export interface MutableArrayLike<T> {
  readonly length: number;
  [index: number]: T;
}

/** Fisher-Yates shuffle driven by `random`: every permutation equally likely for a uniform source. */
export function shuffleInPlace<T>(array: MutableArrayLike<T>, random: () => number): void {
  for (let index = array.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    const held = array[index] as T;
    array[index] = array[other] as T;
    array[other] = held;
  }
}
