import { createSeededRandom as seededRandom } from './seeded-random.js';

/** A Fisher–Yates permutation of 0..rowCount-1 driven by a seed, identical on every platform. */
export function shuffledRowOrder(rowCount: number, seed: number): Uint32Array {
  const order = new Uint32Array(rowCount);
  for (let index = 0; index < rowCount; index++) order[index] = index;
  const random = seededRandom(seed);
  for (let index = rowCount - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    const held = order[index] ?? 0;
    order[index] = order[other] ?? 0;
    order[other] = held;
  }
  return order;
}
