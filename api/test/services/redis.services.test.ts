import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRedisUrl, servicesAvailable, uniqueName } from '../support/services.ts';

describe.skipIf(!servicesAvailable('redis'))('Redis service (real ioredis clients)', () => {
  let client: Redis;
  let subscriber: Redis;
  const prefix = uniqueName('redis-proof');

  beforeAll(() => {
    client = new Redis(requireRedisUrl());
    // A subscribed connection can only (un)subscribe, so pub/sub needs a second client.
    subscriber = new Redis(requireRedisUrl());
  });

  afterAll(async () => {
    const keys = await client.keys(`${prefix}:*`);
    if (keys.length > 0) await client.del(...keys);
    subscriber.disconnect();
    client.disconnect();
  });

  it('persists with an append-only file, so the Kafka-outage outbox survives a crash', async () => {
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
  });

  it('sets and gets a value', async () => {
    const key = `${prefix}:greeting`;
    expect(await client.set(key, 'hello', 'EX', 60)).toBe('OK');
    expect(await client.get(key)).toBe('hello');
    expect(await client.get(`${prefix}:absent`)).toBeNull();
  });

  it('delivers a published message to a subscriber on another connection', async () => {
    const channel = `${prefix}:channel`;
    const received = Promise.withResolvers<[string, string]>();
    subscriber.on('message', (from: string, message: string) => {
      if (from === channel) received.resolve([from, message]);
    });
    await subscriber.subscribe(channel);

    const receivers = await client.publish(channel, 'ping');

    expect(receivers).toBe(1);
    expect(await received.promise).toEqual([channel, 'ping']);
    await subscriber.unsubscribe(channel);
  });
});
