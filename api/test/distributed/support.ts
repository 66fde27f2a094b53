import type { Redis } from 'ioredis';
import { closeRedis, connectRedis } from '../../src/adapters/redis/connection.ts';
import { requireRedisUrl, uniqueName } from '../support/services.ts';

/** Connections a test file opened; `closeAll` in afterAll releases them. */
export class RedisConnections {
  readonly #open: Redis[] = [];

  /** A fail-fast connection (the adapters' default) to TEST_REDIS_URL, or to `url`. */
  async open(options: { queueWhileOffline?: boolean; url?: string } = {}): Promise<Redis> {
    const redis = await connectRedis({
      url: options.url ?? requireRedisUrl(),
      name: 'parley-test',
      queueWhileOffline: options.queueWhileOffline ?? false,
    });
    this.#open.push(redis);
    return redis;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.#open.splice(0).map((redis) => closeRedis(redis)));
  }
}

/** A key prefix no other test uses, so tests share one Redis without clashing. */
export function testPrefix(): string {
  return uniqueName('parley-t');
}

/** Deletes every key under `prefix` (test clean-up). */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}
