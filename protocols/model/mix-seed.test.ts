import { describe, expect, it } from 'vitest';
import { mixSeed } from './mix-seed.js';

describe('mixSeed', () => {
  it('is a deterministic unsigned 32-bit value', () => {
    const seed = mixSeed(42, 3, 0);
    expect(seed).toBe(mixSeed(42, 3, 0));
    expect(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32).toBe(true);
  });

  it('depends on every part and on their order', () => {
    const seeds = new Set([mixSeed(42, 1, 0), mixSeed(42, 2, 0), mixSeed(42, 1, 1), mixSeed(43, 1, 0), mixSeed(1, 42, 0)]);
    expect(seeds.size).toBe(5);
  });
});
