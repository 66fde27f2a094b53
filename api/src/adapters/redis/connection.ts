import { Redis } from 'ioredis';

/** Options for one Redis connection. */
export interface RedisConnectionOptions {
  readonly url: string;
  /** Names the connection in `CLIENT LIST` and in logs. */
  readonly name: string;
  /** Upper bound for one command; a hung server then fails the command instead of the caller. */
  readonly commandTimeoutMs?: number;
  /**
   * Queue commands while disconnected instead of failing them (default false). Only the
   * pub/sub subscriber wants this: its UNSUBSCRIBEs must not reject while Redis is away.
   */
  readonly queueWhileOffline?: boolean;
  /** Reports connection errors (ioredis emits them on every failed reconnect). */
  readonly onError?: (error: Error) => void;
}

/**
 * Opens a Redis connection that by default fails fast while Redis is unreachable (no
 * offline queue), so callers degrade (cache miss, outbox, fallback allocator) instead of
 * hanging. It keeps reconnecting in the background. Resolves once the connection is ready.
 */
export async function connectRedis(options: RedisConnectionOptions): Promise<Redis> {
  const queue = options.queueWhileOffline ?? false;
  const redis = new Redis(options.url, {
    connectionName: options.name,
    lazyConnect: true,
    enableOfflineQueue: queue,
    autoResendUnfulfilledCommands: queue,
    maxRetriesPerRequest: queue ? null : 0,
    ...(queue ? {} : { commandTimeout: options.commandTimeoutMs ?? 2_000 }),
    retryStrategy: (attempt) => Math.min(50 * attempt, 1_000),
  });
  const onError = options.onError;
  // Without a listener ioredis prints every reconnect failure to stderr itself.
  redis.on('error', (error: Error) => onError?.(error));
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new Error(`cannot connect to Redis at ${redactUrl(options.url)}: ${String(error)}`, {
      cause: error,
    });
  }
  return redis;
}

/** Closes a connection politely, falling back to a hard disconnect when Redis is gone. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  try {
    await redis.quit();
  } catch {
    // QUIT cannot be sent while disconnected; dropping the socket is all that is left to do.
    redis.disconnect();
  }
}

/** Hides the password of a `redis://user:pass@host` URL. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/**
 * True when a command failed because Redis is unreachable or unresponsive (rather than
 * because of the command itself), so the caller may take its degraded path.
 */
export function isConnectionError(redis: Redis, error: unknown): boolean {
  if (redis.status !== 'ready') return true;
  const message = error instanceof Error ? error.message : String(error);
  return /timed out|Connection is closed|isn't writeable|ECONNREFUSED|ECONNRESET|EPIPE/i.test(
    message,
  );
}
