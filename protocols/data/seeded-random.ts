// The seeded generator lives with the model code that seeds initial weights and shuffling
// (protocols/model/seeded-random.ts); data code (stratified splits) and callers keep this path.
export { createSeededRandom, shuffleInPlace, type MutableArrayLike } from '../model/seeded-random.js';
