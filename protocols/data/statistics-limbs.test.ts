import { describe, expect, it } from 'vitest';
import { CiphertextError, DatasetError } from '../errors.js';
import {
  COUNT_SCHEDULE,
  countStatisticsLimbs,
  decodeStatisticsLimbs,
  encodeStatisticsLimbs,
  joinLimbs,
  MAX_ABS_FEATURE_VALUE,
  MAX_NODE_DIGIT,
  MAX_ROWS_PER_NODE,
  splitIntoLimbs,
  SQUARES_SCHEDULE,
  SUM_SCHEDULE,
} from './statistics-limbs.js';

/** Element-wise sum of the nodes' limb vectors: what an exact aggregate would decode to. */
function addVectors(vectors: Float64Array[]): Float64Array {
  return vectors.reduce((sum, vector) => sum.map((value, index) => value + (vector[index] as number)));
}

describe('round-0 statistics limbs', () => {
  it('every digit is an integer of magnitude at most 2^19, and the digits rebuild the value to its quantum', () => {
    for (const value of [0, 1, -1, 0.1, 123_456.789, -9.87e11, 3.3e20, -4.2e24, 1e15 * 2 ** 32]) {
      const digits = splitIntoLimbs(value, SUM_SCHEDULE);
      expect(digits).toHaveLength(SUM_SCHEDULE.limbs);
      for (const digit of digits) {
        expect(Number.isInteger(digit)).toBe(true);
        expect(Math.abs(digit)).toBeLessThanOrEqual(MAX_NODE_DIGIT);
      }
      const rebuilt = joinLimbs(digits, 0, SUM_SCHEDULE, 1);
      expect(Math.abs(rebuilt - value)).toBeLessThanOrEqual(Math.max(2 ** (SUM_SCHEDULE.lowBit - 1), Math.abs(value) * 2 ** -52));
    }
  });

  it('carries the largest statistics the documented bounds allow, and refuses one beyond them', () => {
    const largestSum = MAX_ABS_FEATURE_VALUE * MAX_ROWS_PER_NODE;
    const largestSquares = MAX_ABS_FEATURE_VALUE ** 2 * MAX_ROWS_PER_NODE;
    expect(joinLimbs(splitIntoLimbs(-largestSum, SUM_SCHEDULE), 0, SUM_SCHEDULE, 1)).toBe(-largestSum);
    expect(joinLimbs(splitIntoLimbs(largestSquares, SQUARES_SCHEDULE), 0, SQUARES_SCHEDULE, 1)).toBe(largestSquares);
    expect(joinLimbs(splitIntoLimbs(MAX_ROWS_PER_NODE, COUNT_SCHEDULE), 0, COUNT_SCHEDULE, 1)).toBe(MAX_ROWS_PER_NODE);
    expect(() => splitIntoLimbs(2 ** 100, SUM_SCHEDULE)).toThrow(DatasetError);
    expect(() => splitIntoLimbs(Number.NaN, SUM_SCHEDULE)).toThrow(/must be finite/);
  });

  it('the sum of 100 nodes\' digit vectors decodes to the sum of their statistics (relative 1e-15), with a fixed length', () => {
    const columns = 3;
    const nodes = Array.from({ length: 100 }, (_, node) => [1e12 * (node + 1), -3.5e9 * node, 0.001 * node, 1e24 * (node + 1), 2e18, 1e-6 * node, 1e7 + node]);
    const vectors = nodes.map((statistics) => encodeStatisticsLimbs(statistics, columns));
    for (const vector of vectors) expect(vector).toHaveLength(countStatisticsLimbs(columns));
    const totals = decodeStatisticsLimbs(addVectors(vectors), columns, nodes.length);
    nodes
      .reduce((sum, statistics) => sum.map((value, index) => value + (statistics[index] as number)))
      .forEach((expected, index) => expect(Math.abs((totals[index] as number) - expected)).toBeLessThanOrEqual(Math.abs(expected) * 1e-15 + 1e-15));
  });

  it('tolerates CKKS noise far above the threshold decryption\'s (~1e-7 per value)', () => {
    const vector = encodeStatisticsLimbs([5e11, 2.5e23, 1000], 1);
    const noisy = vector.map((value, index) => value + (index % 2 === 0 ? 1e-3 : -1e-3));
    expect(Array.from(decodeStatisticsLimbs(noisy, 1, 1))).toEqual(Array.from(decodeStatisticsLimbs(vector, 1, 1)));
  });

  it('diagnoses a wrapped decryption (no integer, or beyond what the contributors can add up to), not a negative row count', () => {
    const vector = addVectors([encodeStatisticsLimbs([5e11, 2.5e23, 1000], 1), encodeStatisticsLimbs([4e11, 1.5e23, 900], 1)]);
    const fractional = Float64Array.from(vector);
    fractional[vector.length - 1] = -262_143.37; // the count's top limb, garbled the way a wrapped chunk is
    expect(() => decodeStatisticsLimbs(fractional, 1, 2)).toThrow(CiphertextError);
    expect(() => decodeStatisticsLimbs(fractional, 1, 2)).toThrow(/out of range.*exceeds what the job's CKKS parameters decode/);
    const huge = Float64Array.from(vector);
    huge[3] = -2.7e11;
    expect(() => decodeStatisticsLimbs(huge, 1, 2)).toThrow(/value 3 is -270000000000, not an integer of magnitude ≤ 1048576 for 2 contributors/);
    expect(() => decodeStatisticsLimbs(vector.subarray(1), 1, 2)).toThrow(/has 20 values; 1 numeric columns need 21/);
  });
});
