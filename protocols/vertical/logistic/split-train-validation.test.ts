import { describe, expect, it } from 'vitest';
import { splitTrainValidation } from './split-train-validation.js';

describe('splitTrainValidation', () => {
  it('is deterministic from the seed string, disjoint, ascending and covers every row', () => {
    const a = splitTrainValidation(1_000, 0.2, 'job-7');
    expect(splitTrainValidation(1_000, 0.2, 'job-7')).toEqual(a);
    expect(a.validation).toHaveLength(200);
    expect(a.train).toHaveLength(800);
    const all = [...a.train, ...a.validation].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 1_000 }, (_, index) => index));
    expect([...a.train]).toEqual([...a.train].sort((x, y) => x - y));
    expect([...a.validation]).toEqual([...a.validation].sort((x, y) => x - y));
  });

  it('picks different rows for a different seed, and none for fraction 0', () => {
    expect(splitTrainValidation(1_000, 0.2, 'job-8').validation).not.toEqual(splitTrainValidation(1_000, 0.2, 'job-7').validation);
    expect(splitTrainValidation(10, 0, 's').validation).toHaveLength(0);
  });

  it('rejects a fraction outside [0, 1)', () => {
    expect(() => splitTrainValidation(10, 1, 's')).toThrow(RangeError);
  });
});
