import { createConnection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MongoStore, openMongoStore } from '../../src/adapters/mongo/store.ts';
import { RedisSeqAllocator } from '../../src/adapters/redis/seq-allocator.ts';
import { StoreFloorLeases } from '../../src/adapters/redis/seq-floor-leases.ts';
import { messageRange, uniqueId } from '../contracts/fixtures.ts';
import { describeSeqAllocatorContract } from '../contracts/seq-allocator.contract.ts';
import {
  requireMongoUrl,
  requireRedisUrl,
  servicesAvailable,
  uniqueName,
  withDatabase,
} from '../support/services.ts';
import { deleteKeys, RedisConnections, testPrefix } from './support.ts';

const connections = new RedisConnections();
const prefixes: string[] = [];
const database = uniqueName('parley-seq');
let store: MongoStore;

function prefix(): string {
  const value = testPrefix();
  prefixes.push(value);
  return value;
}

/** Redis logical database 9: this file flushes it, and nothing else lives there. */
function flushableRedisUrl(): string {
  const url = new URL(requireRedisUrl());
  url.pathname = '/9';
  return url.toString();
}

describe.runIf(servicesAvailable('redis', 'mongo'))('Redis seq allocator', () => {
  beforeAll(async () => {
    store = await openMongoStore(withDatabase(requireMongoUrl(), database));
  });

  afterAll(async () => {
    const redis = await connections.open();
    for (const used of prefixes) await deleteKeys(redis, used);
    await connections.closeAll();
    await store?.close();
    const admin = await createConnection(withDatabase(requireMongoUrl(), database)).asPromise();
    await admin.dropDatabase();
    await admin.close();
  });

  describeSeqAllocatorContract('redis, leased from MongoDB', async (floor) => {
    const { MongoSeqLeases } = await import('../../src/adapters/mongo/seq-leases.ts');
    return new RedisSeqAllocator({
      redis: await connections.open(),
      prefix: prefix(),
      leases: new MongoSeqLeases(store.models, { maxSeq: floor }),
    });
  });

  // The contract's floor is exact (nothing in flight), so no margin is needed above it.
  describeSeqAllocatorContract('redis, re-seeded from the store floor', async (floor) => {
    return new RedisSeqAllocator({
      redis: await connections.open(),
      prefix: prefix(),
      leases: new StoreFloorLeases(floor, 0),
    });
  });

  it('never reuses a seq after Redis loses every key (FLUSHDB), even with sends in flight', async () => {
    const redis = await connections.open({ url: flushableRedisUrl() });
    const allocators = [0, 1].map(
      () =>
        new RedisSeqAllocator({
          redis,
          prefix: 'parley',
          leases: store.seqLeases,
          block: 50,
        }),
    );
    const id = uniqueId('conv');
    // Only the first 10 reach the store: the rest are "in flight" when Redis is flushed.
    const before: number[] = [];
    for (let index = 0; index < 30; index += 1) {
      before.push(await (allocators[index % 2] as RedisSeqAllocator).next(id));
    }
    await store.messages.insertMany(
      messageRange(id, 1, 10).map((message, index) => ({ ...message, seq: before[index] ?? 0 })),
    );
    expect(await redis.flushdb()).toBe('OK');

    const after = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        (allocators[index % 2] as RedisSeqAllocator).next(id),
      ),
    );
    expect(new Set(after).size).toBe(40);
    expect(Math.min(...after)).toBeGreaterThan(Math.max(...before));
    for (const allocator of allocators) await allocator.close();
  });

  it('issues seqs from MongoDB while Redis is unreachable, above every leased one, and back', async () => {
    const id = uniqueId('conv');
    const shared = prefix();
    const lost = await connections.open();
    const leaseMs = 300;
    const cut = new RedisSeqAllocator({
      redis: lost,
      prefix: shared,
      leases: store.seqLeases,
      leaseMs,
    });
    const viaRedis = [await cut.next(id), await cut.next(id)];
    lost.disconnect();
    const direct = [await cut.next(id), await cut.next(id)];
    expect(direct[0]).toBeGreaterThan(Math.max(...viaRedis));
    expect(direct[1]).toBeGreaterThan(direct[0] ?? 0);
    // Every direct seq waited for the last lease to run out: Redis can no longer issue below it.
    const healthy = new RedisSeqAllocator({
      redis: await connections.open(),
      prefix: shared,
      leases: store.seqLeases,
      leaseMs,
    });
    const resumed = await healthy.next(id);
    expect(resumed).toBeGreaterThan(direct[1] ?? 0);
    await cut.close();
    await healthy.close();
  });

  it('gives 30 concurrent direct issues 30 distinct seqs (FerretDB updates are not atomic)', async () => {
    const id = uniqueId('conv');
    const issued = await Promise.all(
      Array.from({ length: 30 }, () => store.seqLeases.issueDirect(id)),
    );
    expect(new Set(issued.map((result) => result.seq)).size).toBe(30);
  });
});
