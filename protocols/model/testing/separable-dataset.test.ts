import { describe, expect, it } from 'vitest';
import { separableDataset } from './separable-dataset.js';

describe('separableDataset', () => {
  it('is deterministic and has both classes', () => {
    const data = separableDataset(200, 4, 3);
    expect(separableDataset(200, 4, 3)).toEqual(data);
    expect(data.features).toHaveLength(800);
    const positives = data.labels.reduce((sum, label) => sum + label, 0);
    expect(positives).toBeGreaterThan(20);
    expect(positives).toBeLessThan(180);
  });
});
