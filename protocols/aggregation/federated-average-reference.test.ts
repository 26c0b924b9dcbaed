import { describe, expect, it } from 'vitest';
import { federatedAverageReference } from './federated-average-reference.js';

describe('federatedAverageReference', () => {
  it('weights each update by its sample count', () => {
    const average = federatedAverageReference([
      { delta: [1, 10], sampleCount: 1 },
      { delta: [4, -2], sampleCount: 3 },
    ]);
    expect(Array.from(average)).toEqual([(1 + 12) / 4, (10 - 6) / 4]);
  });

  it('rejects mismatched lengths and non-positive weights', () => {
    expect(() => federatedAverageReference([{ delta: [1], sampleCount: 1 }, { delta: [1, 2], sampleCount: 1 }])).toThrow(/lengths differ/);
    expect(() => federatedAverageReference([{ delta: [1], sampleCount: 0 }])).toThrow(/positive/);
    expect(() => federatedAverageReference([])).toThrow(/no updates/);
  });
});
