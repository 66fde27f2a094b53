import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryClientIdRegistry } from '../../src/adapters/memory/client-id-registry.ts';
import { RedisClientIdRegistry } from '../../src/adapters/redis/client-id-registry.ts';
import { RedisEventBus } from '../../src/adapters/redis/event-bus.ts';
import { RedisMessageCache } from '../../src/adapters/redis/message-cache.ts';
import { RedisPresenceStore } from '../../src/adapters/redis/presence.ts';
import { RedisRateLimiter } from '../../src/adapters/redis/rate-limiter.ts';
import { describeClientIdRegistryContract } from '../contracts/client-id-registry.contract.ts';
import { describeEventBusContract } from '../contracts/event-bus.contract.ts';
import { aMessage, uniqueId } from '../contracts/fixtures.ts';
import { describeMessageCacheContract } from '../contracts/message-cache.contract.ts';
import { describePresenceContract } from '../contracts/presence.contract.ts';
import { describeRateLimiterContract } from '../contracts/rate-limiter.contract.ts';
import { servicesAvailable } from '../support/services.ts';
import { deleteKeys, RedisConnections, testPrefix } from './support.ts';

const connections = new RedisConnections();
const prefixes: string[] = [];

function prefix(): string {
  const value = testPrefix();
  prefixes.push(value);
  return value;
}

afterAll(async () => {
  if (prefixes.length > 0) {
    const redis = await connections.open();
    for (const used of prefixes) await deleteKeys(redis, used);
  }
  await connections.closeAll();
});

describe.runIf(servicesAvailable('redis'))('Redis adapters', () => {
  describeEventBusContract('redis', async () => {
    const publisher = await connections.open();
    const subscriber = await connections.open({ queueWhileOffline: true });
    return new RedisEventBus({ publisher, subscriber, prefix: prefix() });
  });

  describeMessageCacheContract('redis', async ({ windowSize }) => {
    return new RedisMessageCache({ redis: await connections.open(), prefix: prefix(), windowSize });
  });

  describeRateLimiterContract('redis', async () => {
    return new RedisRateLimiter({ redis: await connections.open(), prefix: prefix() });
  });

  describePresenceContract('redis', async () => {
    return new RedisPresenceStore({
      redis: await connections.open(),
      prefix: prefix(),
      instanceId: uniqueId('instance'),
    });
  });

  describeClientIdRegistryContract('redis', async () => {
    return new RedisClientIdRegistry({
      redis: await connections.open(),
      prefix: prefix(),
      fallback: createMemoryClientIdRegistry(),
    });
  });

  describe('across instances', () => {
    it('shares one window between two cache instances, each write renewing its TTL', async () => {
      const shared = prefix();
      const one = new RedisMessageCache({ redis: await connections.open(), prefix: shared });
      const two = new RedisMessageCache({
        redis: await connections.open(),
        prefix: shared,
        ttlMs: 200,
      });
      const id = uniqueId('conv');
      await one.fill(id, [aMessage(id, 1)], true, true);
      await two.put(aMessage(id, 2));
      expect((await one.listBefore(id, null, 10))?.map((m) => m.seq)).toEqual([1, 2]);
      const redis = await connections.open();
      expect(await redis.pttl(`${shared}:cache:{${id}}`)).toBeLessThanOrEqual(200);
    });

    it('keeps a user online while a socket is open on any instance; a dead instance expires', async () => {
      const shared = prefix();
      const redis = await connections.open();
      const alive = new RedisPresenceStore({ redis, prefix: shared, instanceId: 'a' });
      // An instance that stops heartbeating: its sockets last `ttlMs`.
      const dying = new RedisPresenceStore({
        redis,
        prefix: shared,
        instanceId: 'b',
        ttlMs: 300,
        heartbeatMs: 60_000,
      });
      const [both, onlyDying] = [uniqueId('user'), uniqueId('user')];
      expect(await alive.connect(both, 's1')).toBe(true);
      expect(await dying.connect(both, 's2')).toBe(false);
      expect(await dying.connect(onlyDying, 's3')).toBe(true);
      await dying.close();
      // Polling Redis's own clock: the entry is gone once its expiry score has passed.
      const key = `${shared}:presence:{${onlyDying}}`;
      const [expiry] = (await redis.zrange(key, 0, 0, 'WITHSCORES')).slice(1).map(Number);
      for (;;) {
        const [seconds, micros] = await redis.time();
        if (Number(seconds) * 1000 + Number(micros) / 1000 > (expiry ?? 0)) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await alive.isOnline([both, onlyDying])).toEqual(
        new Map([
          [both, true],
          [onlyDying, false],
        ]),
      );
      await alive.close();
    });
  });
});
