import type { ClientIdRegistry } from '../../ports/client-id-registry.ts';
import type { SeqLeaseStore } from '../../ports/seq-allocator.ts';
import { RedisClientIdRegistry } from './client-id-registry.ts';
import { closeRedis, connectRedis } from './connection.ts';
import { RedisEventBus } from './event-bus.ts';
import { RedisMessageCache } from './message-cache.ts';
import { once } from './once.ts';
import { RedisOutbox } from './outbox.ts';
import { RedisPresenceStore } from './presence.ts';
import { RedisRateLimiter } from './rate-limiter.ts';
import { RedisSeqAllocator } from './seq-allocator.ts';

/** Settings of the Redis adapters (see docs/DISTRIBUTED.md). */
export interface RedisSettings {
  readonly url: string;
  /** Prefix of every key and channel. */
  readonly keyPrefix: string;
  readonly cacheWindow: number;
  readonly cacheTtlMs: number;
  readonly seqLeaseBlock: number;
  readonly seqLeaseMs: number;
  readonly presenceTtlMs: number;
}

export interface RedisAdapterDeps {
  /** Names this process in presence entries; unique per API instance. */
  readonly instanceId: string;
  /** The durable seq ceilings (MongoDB's, or a store floor without MongoDB). */
  readonly seqLeases: SeqLeaseStore;
  /** Serves clientId claims while Redis is unreachable. */
  readonly clientIdFallback: ClientIdRegistry;
  /** Degradations and background failures, for the log. */
  readonly onError: (error: unknown, context: string) => void;
}

/** Every Redis adapter, sharing two connections that close when the last adapter does. */
export interface RedisAdapters {
  readonly bus: RedisEventBus;
  readonly cache: RedisMessageCache;
  readonly seq: RedisSeqAllocator;
  readonly presence: RedisPresenceStore;
  readonly limiter: RedisRateLimiter;
  readonly clientIds: RedisClientIdRegistry;
  /** The Kafka-outage outbox on the same connection; its user calls `release` when done. */
  openOutbox(): { readonly outbox: RedisOutbox; readonly release: () => Promise<void> };
}

/**
 * Connects to Redis (one connection for commands, one for SUBSCRIBE) and builds the
 * adapters on it. Fails when Redis cannot be reached at start.
 */
export async function openRedisAdapters(
  settings: RedisSettings,
  deps: RedisAdapterDeps,
): Promise<RedisAdapters> {
  const onConnectionError = (error: Error) => deps.onError(error, 'Redis connection error');
  const redis = await connectRedis({
    url: settings.url,
    name: `parley-${deps.instanceId}`,
    onError: onConnectionError,
  });
  let subscriber: Awaited<ReturnType<typeof connectRedis>>;
  try {
    subscriber = await connectRedis({
      url: settings.url,
      name: `parley-${deps.instanceId}-sub`,
      queueWhileOffline: true,
      onError: onConnectionError,
    });
  } catch (error) {
    await closeRedis(redis);
    throw error;
  }

  let users = 6;
  const release = async (): Promise<void> => {
    users -= 1;
    if (users === 0) await Promise.all([closeRedis(redis), closeRedis(subscriber)]);
  };
  const prefix = settings.keyPrefix;
  const onError = deps.onError;
  return {
    bus: new RedisEventBus({ publisher: redis, subscriber, prefix, onError, release }),
    cache: new RedisMessageCache({
      redis,
      prefix,
      windowSize: settings.cacheWindow,
      ttlMs: settings.cacheTtlMs,
      release,
    }),
    seq: new RedisSeqAllocator({
      redis,
      prefix,
      leases: deps.seqLeases,
      block: settings.seqLeaseBlock,
      leaseMs: settings.seqLeaseMs,
      onError,
      release,
    }),
    presence: new RedisPresenceStore({
      redis,
      prefix,
      instanceId: deps.instanceId,
      ttlMs: settings.presenceTtlMs,
      onError,
      release,
    }),
    limiter: new RedisRateLimiter({ redis, prefix, onError, release }),
    clientIds: new RedisClientIdRegistry({
      redis,
      prefix,
      fallback: deps.clientIdFallback,
      onError,
      release,
    }),
    openOutbox: () => {
      users += 1;
      return { outbox: new RedisOutbox({ redis, prefix }), release: once(release) };
    },
  };
}
