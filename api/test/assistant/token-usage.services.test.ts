import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeRedis, connectRedis } from '../../src/adapters/redis/connection.ts';
import { RedisRateLimiter } from '../../src/adapters/redis/rate-limiter.ts';
import { requireRedisUrl, servicesAvailable, uniqueName } from '../support/services.ts';

describe.skipIf(!servicesAvailable('redis'))('RateLimiter.addUsage on real Redis', () => {
  let redis: Redis;
  const prefix = uniqueName('usage');

  beforeAll(async () => {
    redis = await connectRedis({ url: requireRedisUrl(), name: 'assistant-usage-test' });
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await closeRedis(redis);
  });

  it('adds atomically across concurrent callers', async () => {
    const limiter = new RedisRateLimiter({ redis, prefix });

    expect(await limiter.addUsage('k', 0, 60_000)).toBe(0);
    expect(await redis.exists(`${prefix}:usage:k`)).toBe(0);
    const totals = await Promise.all(
      Array.from({ length: 20 }, () => limiter.addUsage('k', 5, 60_000)),
    );

    expect(Math.max(...totals)).toBe(100);
    expect(new Set(totals).size).toBe(20);
  });

  it('sets the ttl on the first add and never extends it', async () => {
    const limiter = new RedisRateLimiter({ redis, prefix });

    await limiter.addUsage('ttl', 3, 60_000);
    await limiter.addUsage('ttl', 4, 3_600_000);

    const ttl = await redis.pttl(`${prefix}:usage:ttl`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await limiter.addUsage('ttl', 0, 60_000)).toBe(7);
  });
});
