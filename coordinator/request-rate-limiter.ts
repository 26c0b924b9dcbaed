/**
 * A token bucket per caller: each request takes one token; tokens refill at `perSecond` up to
 * `burst`. A participant (or anyone claiming to be one) that floods the coordinator is answered with
 * RESOURCE_EXHAUSTED instead of growing its queues. The clock is injected for tests.
 */
export class RequestRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedMs: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
    /** Forget callers idle this long, so spoofed ids cannot grow the map without bound. */
    private readonly maxCallers = 10_000,
  ) {}

  /** True when the caller may proceed. */
  take(caller: string): boolean {
    const now = this.now();
    let bucket = this.buckets.get(caller);
    if (!bucket) {
      if (this.buckets.size >= this.maxCallers) this.evictIdle(now);
      bucket = { tokens: this.burst, updatedMs: now };
      this.buckets.set(caller, bucket);
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.updatedMs) / 1000) * this.perSecond);
    bucket.updatedMs = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  private evictIdle(now: number): void {
    for (const [caller, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.updatedMs) / 1000) * this.perSecond >= this.burst) this.buckets.delete(caller);
    }
    // Still full: everyone is busy; drop the oldest to stay bounded.
    if (this.buckets.size >= this.maxCallers) {
      const oldest = [...this.buckets.entries()].sort((a, b) => a[1].updatedMs - b[1].updatedMs)[0];
      if (oldest) this.buckets.delete(oldest[0]);
    }
  }
}
