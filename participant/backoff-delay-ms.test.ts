import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff-delay-ms.js';

describe('backoffDelayMs', () => {
  const bounds = { initial: 250, max: 5_000 };

  it('doubles from the initial delay up to the maximum', () => {
    const middle = () => 0.5; // no jitter
    expect([0, 1, 2, 3, 4, 5, 6, 40].map((attempt) => backoffDelayMs(attempt, bounds, middle))).toEqual([250, 500, 1_000, 2_000, 4_000, 5_000, 5_000, 5_000]);
  });

  it('spreads each delay over half to one and a half times its base', () => {
    expect(backoffDelayMs(2, bounds, () => 0)).toBe(500);
    expect(backoffDelayMs(2, bounds, () => 0.999999)).toBeCloseTo(1_500, 2);
    const delays = Array.from({ length: 200 }, () => backoffDelayMs(3, bounds));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(1_000);
    expect(Math.max(...delays)).toBeLessThan(3_000);
    expect(new Set(delays).size).toBeGreaterThan(150);
  });
});
