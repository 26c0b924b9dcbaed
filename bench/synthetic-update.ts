import { createSeededRandom } from '../protocols/data/seeded-random.js';

/** Sample count a synthetic participant weights its update with (n_i in Enc(n_i · Δ_i)). */
export const SYNTHETIC_SAMPLE_COUNT = 1_000;

/**
 * A reproducible stand-in for a weighted model update n_i · Δ_i: deltas uniform in ±0.01 times
 * SYNTHETIC_SAMPLE_COUNT, the magnitude a trained logistic regression's round produces.
 */
export function syntheticWeightedUpdate(length: number, seed: number): Float64Array {
  const random = createSeededRandom(seed);
  const values = new Float64Array(length);
  for (let index = 0; index < length; index += 1) values[index] = (random() * 0.02 - 0.01) * SYNTHETIC_SAMPLE_COUNT;
  return values;
}

/** Largest |actual - expected| over the vectors: the sanity check every measured path reports. */
export function maxAbsoluteError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`lengths differ: ${actual.length} vs ${expected.length}`);
  let worst = 0;
  for (let index = 0; index < actual.length; index += 1) {
    worst = Math.max(worst, Math.abs((actual[index] as number) - (expected[index] as number)));
  }
  return worst;
}
