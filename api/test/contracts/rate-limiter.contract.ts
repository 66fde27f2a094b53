import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { RateLimiter } from '../../src/ports/rate-limiter.ts';
import { uniqueId } from './fixtures.ts';

/**
 * The RateLimiter port's semantics, for every adapter (memory, Redis): fixed or sliding
 * windows both pass. Keys are random, so a shared Redis works.
 */
export function describeRateLimiterContract(
  name: string,
  makeLimiter: () => Promise<RateLimiter>,
): void {
  describe(`RateLimiter contract: ${name}`, () => {
    const opened: RateLimiter[] = [];

    async function open(): Promise<RateLimiter> {
      const limiter = await makeLimiter();
      opened.push(limiter);
      return limiter;
    }

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((limiter) => limiter.close()));
    });

    it('allows `limit` hits in a window, then blocks with 0 < retryAfterMs <= windowMs', async () => {
      const limiter = await open();
      const key = uniqueId('key');
      const rule = { limit: 3, windowMs: 60_000 };
      for (let hit = 0; hit < 3; hit += 1) {
        expect(await limiter.consume(key, rule)).toEqual({ allowed: true });
      }
      const blocked = await limiter.consume(key, rule);
      expect(blocked.allowed).toBe(false);
      if (blocked.allowed) return;
      expect(blocked.retryAfterMs).toBeGreaterThan(0);
      expect(blocked.retryAfterMs).toBeLessThanOrEqual(60_000);
      expect((await limiter.consume(key, rule)).allowed).toBe(false);
    });

    it('counts atomically: of 30 concurrent hits, exactly `limit` are allowed', async () => {
      const limiter = await open();
      const key = uniqueId('key');
      const results = await Promise.all(
        Array.from({ length: 30 }, () => limiter.consume(key, { limit: 10, windowMs: 60_000 })),
      );
      expect(results.filter((result) => result.allowed)).toHaveLength(10);
    });

    it('keeps keys independent', async () => {
      const limiter = await open();
      const rule = { limit: 1, windowMs: 60_000 };
      const [a, b] = [uniqueId('key'), uniqueId('key')];
      expect((await limiter.consume(a, rule)).allowed).toBe(true);
      expect((await limiter.consume(a, rule)).allowed).toBe(false);
      expect((await limiter.consume(b, rule)).allowed).toBe(true);
    });

    it('allows again once retryAfterMs has passed', async () => {
      const limiter = await open();
      const key = uniqueId('key');
      const rule = { limit: 2, windowMs: 150 };
      await limiter.consume(key, rule);
      await limiter.consume(key, rule);
      const blocked = await limiter.consume(key, rule);
      if (blocked.allowed) throw new Error('expected the third hit to be blocked');
      // Waiting the advertised time is the behaviour under test; 5 ms absorbs timer rounding.
      await delay(blocked.retryAfterMs + 5);
      expect((await limiter.consume(key, rule)).allowed).toBe(true);
    });

    it('addUsage sums amounts per key, and 0 reads the total', async () => {
      const limiter = await open();
      const [key, other] = [uniqueId('usage'), uniqueId('usage')];
      expect(await limiter.addUsage(key, 0, 60_000)).toBe(0);
      expect(await limiter.addUsage(key, 5, 60_000)).toBe(5);
      expect(await limiter.addUsage(key, 3, 60_000)).toBe(8);
      expect(await limiter.addUsage(key, 0, 60_000)).toBe(8);
      expect(await limiter.addUsage(other, 0, 60_000)).toBe(0);
    });

    it('addUsage counters expire ttlMs after their first add, even if read before it', async () => {
      const limiter = await open();
      const key = uniqueId('usage');
      expect(await limiter.addUsage(key, 0, 100)).toBe(0);
      expect(await limiter.addUsage(key, 4, 100)).toBe(4);
      // Waiting out the TTL is the behaviour under test; 5 ms absorbs timer rounding.
      await delay(105);
      expect(await limiter.addUsage(key, 0, 100)).toBe(0);
    });
  });
}
