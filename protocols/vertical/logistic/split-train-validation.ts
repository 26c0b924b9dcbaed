import { createSeededRandom, shuffleInPlace } from '../../data/seeded-random.js';
import { deriveSeed } from './derive-seed.js';

export interface TrainValidationSplit {
  /** Ascending positions in the common (PSI) row order. */
  train: Int32Array;
  /** Ascending positions in the common (PSI) row order. */
  validation: Int32Array;
}

/**
 * Holds out round(validationFraction · rowCount) rows chosen by a seeded shuffle. Not stratified:
 * only the bank knows labels, and every party must compute the same split from the shared seed alone.
 */
export function splitTrainValidation(rowCount: number, validationFraction: number, seed: string): TrainValidationSplit {
  if (!Number.isInteger(rowCount) || rowCount < 0) throw new RangeError(`splitTrainValidation: rowCount ${rowCount} must be a non-negative integer`);
  if (!(validationFraction >= 0 && validationFraction < 1)) {
    throw new RangeError(`splitTrainValidation: validationFraction ${validationFraction} must be in [0, 1)`);
  }
  const order = Int32Array.from({ length: rowCount }, (_, index) => index);
  shuffleInPlace(order, createSeededRandom(deriveSeed(seed, 'split')));
  const validationCount = Math.round(rowCount * validationFraction);
  const validation = order.slice(0, validationCount).sort();
  const train = order.slice(validationCount).sort();
  return { train, validation };
}
