import { describe, expect, it } from 'vitest';
import { RequestRateLimiter } from './request-rate-limiter.js';

describe('RequestRateLimiter', () => {
  it('allows a burst, then refills at the given rate, per caller', () => {
    let now = 0;
    const limiter = new RequestRateLimiter(10, 5, () => now);
    expect(Array.from({ length: 7 }, () => limiter.take('bank'))).toEqual([true, true, true, true, true, false, false]);
    expect(limiter.take('shop')).toBe(true); // buckets are per caller
    now += 250; // 2.5 tokens
    expect([limiter.take('bank'), limiter.take('bank'), limiter.take('bank')]).toEqual([true, true, false]);
  });

  it('stays bounded when callers keep inventing new ids', () => {
    const limiter = new RequestRateLimiter(10, 5, () => 0, 100);
    for (let index = 0; index < 10_000; index += 1) limiter.take(`spoofed-${index}`);
    expect((limiter as unknown as { buckets: Map<string, unknown> }).buckets.size).toBeLessThanOrEqual(100);
  });
});
