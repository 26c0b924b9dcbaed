import { describe, expect, it } from 'vitest';
import { shuffledRowOrder } from './shuffled-row-order.js';

describe('shuffledRowOrder', () => {
  it('is a permutation that depends only on the seed', () => {
    const order = shuffledRowOrder(1000, 5);
    expect(Array.from(order).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, index) => index));
    expect(shuffledRowOrder(1000, 5)).toEqual(order);
    expect(shuffledRowOrder(1000, 6)).not.toEqual(order);
    expect(Array.from(order.subarray(0, 10))).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('handles empty and single-row inputs', () => {
    expect(Array.from(shuffledRowOrder(0, 1))).toEqual([]);
    expect(Array.from(shuffledRowOrder(1, 1))).toEqual([0]);
  });
});
