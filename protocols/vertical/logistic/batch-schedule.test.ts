import { describe, expect, it } from 'vitest';
import { batchSchedule } from './batch-schedule.js';

describe('batchSchedule', () => {
  const train = Int32Array.from({ length: 1_000 }, (_, index) => 3 * index);

  it('uses every training row once per epoch, in batches of batchSize with a smaller last one', () => {
    const batches = batchSchedule(train, 300, 0, 'seed');
    expect(batches.map((batch) => batch.length)).toEqual([300, 300, 300, 100]);
    expect(batches.flatMap((batch) => [...batch]).sort((a, b) => a - b)).toEqual([...train]);
  });

  it('is the same for the same (seed, epoch) and reshuffles across epochs and seeds', () => {
    expect(batchSchedule(train, 300, 2, 'seed')).toEqual(batchSchedule(train, 300, 2, 'seed'));
    expect(batchSchedule(train, 300, 3, 'seed')[0]).not.toEqual(batchSchedule(train, 300, 2, 'seed')[0]);
    expect(batchSchedule(train, 300, 2, 'other')[0]).not.toEqual(batchSchedule(train, 300, 2, 'seed')[0]);
  });

  it('leaves its input alone', () => {
    const copy = Int32Array.from(train);
    batchSchedule(train, 100, 0, 'seed');
    expect(train).toEqual(copy);
  });
});
