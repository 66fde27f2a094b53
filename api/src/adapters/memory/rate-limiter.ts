import type { Clock } from '../../ports/clock.ts';
import type { RateLimiter } from '../../ports/rate-limiter.ts';
import { systemClock } from '../system/clock.ts';

export interface MemoryRateLimiterOptions {
  readonly clock?: Clock;
  /** Every this many calls, keys whose window or TTL has passed are dropped (default 1000). */
  readonly sweepEvery?: number;
}

/** The in-process limiter; `size` is the number of keys currently tracked. */
export interface MemoryRateLimiter extends RateLimiter {
  readonly size: number;
  /** Adds `amount` to a counter that expires `ttlMs` after its first add; returns the total. */
  addUsage(key: string, amount: number, ttlMs: number): Promise<number>;
}

interface Bucket {
  /** Times of the allowed hits still inside the window, ascending; never more than the limit. */
  readonly hits: number[];
  windowMs: number;
}

interface Usage {
  total: number;
  readonly expiresAt: number;
}

/**
 * Exact sliding window per key: a hit is allowed when fewer than `limit` hits were allowed
 * in the last `windowMs`; otherwise `retryAfterMs` is when the oldest of them leaves the
 * window. Usage counters (`addUsage`) live beside the windows. JavaScript runs each call to
 * completion, so every check-and-record is atomic. Idle keys are swept periodically, so
 * memory follows the keys active within their window.
 */
export function createMemoryRateLimiter(options: MemoryRateLimiterOptions = {}): MemoryRateLimiter {
  const clock = options.clock ?? systemClock;
  const sweepEvery = options.sweepEvery ?? 1000;
  const buckets = new Map<string, Bucket>();
  const usages = new Map<string, Usage>();
  let callsSinceSweep = 0;

  function expire(bucket: Bucket, now: number): void {
    let stale = 0;
    while (stale < bucket.hits.length && (bucket.hits[stale] ?? now) <= now - bucket.windowMs) {
      stale += 1;
    }
    bucket.hits.splice(0, stale);
  }

  function maybeSweep(now: number): void {
    callsSinceSweep += 1;
    if (callsSinceSweep < sweepEvery) return;
    callsSinceSweep = 0;
    for (const [key, bucket] of buckets) {
      expire(bucket, now);
      if (bucket.hits.length === 0) buckets.delete(key);
    }
    for (const [key, usage] of usages) {
      if (usage.expiresAt <= now) usages.delete(key);
    }
  }

  return {
    get size() {
      return buckets.size + usages.size;
    },

    async consume(key, rule) {
      const now = clock.now().getTime();
      maybeSweep(now);
      let bucket = buckets.get(key);
      if (bucket === undefined) {
        bucket = { hits: [], windowMs: rule.windowMs };
        buckets.set(key, bucket);
      }
      bucket.windowMs = rule.windowMs;
      expire(bucket, now);
      if (bucket.hits.length < rule.limit) {
        bucket.hits.push(now);
        return { allowed: true };
      }
      const oldestCounted = bucket.hits[bucket.hits.length - rule.limit] ?? now;
      // Clamped so that a clock stepping back never yields 0 or more than a window.
      const retryAfterMs = Math.min(
        rule.windowMs,
        Math.max(1, oldestCounted + rule.windowMs - now),
      );
      return { allowed: false, retryAfterMs };
    },

    async addUsage(key, amount, ttlMs) {
      const now = clock.now().getTime();
      maybeSweep(now);
      let usage = usages.get(key);
      if (usage !== undefined && usage.expiresAt <= now) {
        usages.delete(key);
        usage = undefined;
      }
      // Reading (amount 0) never starts a counter, so it never starts a TTL either.
      if (amount === 0) return usage?.total ?? 0;
      if (usage === undefined) {
        usage = { total: 0, expiresAt: now + ttlMs };
        usages.set(key, usage);
      }
      usage.total += amount;
      return usage.total;
    },

    async close() {
      buckets.clear();
      usages.clear();
    },
  };
}
