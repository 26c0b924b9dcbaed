import { describe, expect, it } from 'vitest';
import { gatherRows } from './gather-rows.js';

describe('gatherRows', () => {
  it('reorders whole rows', () => {
    const matrix = new Float32Array([1, 2, 3, 4, 5, 6]);
    expect(Array.from(gatherRows(matrix, 2, [2, 0, 1]))).toEqual([5, 6, 1, 2, 3, 4]);
    expect(Array.from(gatherRows(new Float32Array([7, 8, 9]), 1, new Uint32Array([1, 2, 0])))).toEqual([8, 9, 7]);
  });
});
