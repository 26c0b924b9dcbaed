import { createSeededRandom, shuffleInPlace } from '../../data/seeded-random.js';
import { deriveSeed } from './derive-seed.js';

/**
 * The batches of one epoch: the training rows shuffled by a seed derived from (seed, epoch), cut into
 * ceil(n / batchSize) batches, the last one smaller. Each batch keeps its shuffled order, which is the
 * slot order of the encrypted path (a sum over the batch does not depend on it).
 */
export function batchSchedule(trainRows: Int32Array, batchSize: number, epoch: number, seed: string): Int32Array[] {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSchedule: batchSize ${batchSize} must be a positive integer`);
  if (!Number.isInteger(epoch) || epoch < 0) throw new RangeError(`batchSchedule: epoch ${epoch} must be a non-negative integer`);
  const order = Int32Array.from(trainRows);
  shuffleInPlace(order, createSeededRandom(deriveSeed(seed, `epoch/${epoch}`)));
  const batches: Int32Array[] = [];
  for (let start = 0; start < order.length; start += batchSize) batches.push(order.slice(start, start + batchSize));
  return batches;
}
