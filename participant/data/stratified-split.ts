import { createSeededRandom, shuffleInPlace } from '../../protocols/data/seeded-random.js';

export interface StratifiedSplit {
  /** Ascending row indices. */
  trainIndices: Int32Array;
  /** Ascending row indices. */
  testIndices: Int32Array;
}

/**
 * Holds out round(testFraction * n_c) rows of every label class c, chosen by a seeded shuffle, so
 * the test set keeps each class's share and the same seed always picks the same rows.
 */
export function stratifiedSplit(labels: ArrayLike<number>, testFraction: number, seed: number): StratifiedSplit {
  if (!(testFraction >= 0 && testFraction < 1)) {
    throw new RangeError(`stratifiedSplit: testFraction ${testFraction} must be in [0, 1)`);
  }
  const byClass = new Map<number, number[]>();
  for (let index = 0; index < labels.length; index += 1) {
    const label = labels[index] as number;
    const members = byClass.get(label);
    if (members === undefined) byClass.set(label, [index]);
    else members.push(index);
  }
  const random = createSeededRandom(seed);
  const isTest = new Uint8Array(labels.length);
  // Classes in numeric order, so the result does not depend on which class appears first.
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const members = byClass.get(label) as number[];
    shuffleInPlace(members, random);
    const testCount = Math.round(members.length * testFraction);
    for (let position = 0; position < testCount; position += 1) isTest[members[position] as number] = 1;
  }
  const testCount = isTest.reduce((sum, flag) => sum + flag, 0);
  const trainIndices = new Int32Array(labels.length - testCount);
  const testIndices = new Int32Array(testCount);
  let train = 0;
  let test = 0;
  for (let index = 0; index < labels.length; index += 1) {
    if (isTest[index] === 1) testIndices[test++] = index;
    else trainIndices[train++] = index;
  }
  return { trainIndices, testIndices };
}
