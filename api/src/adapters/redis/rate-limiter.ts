import type { Redis } from 'ioredis';
import type { RateLimiter, RateLimitResult, RateLimitRule } from '../../ports/rate-limiter.ts';
import { isConnectionError } from './connection.ts';
import { LuaScript } from './lua.ts';
import { once } from './once.ts';

/** ARGV: windowMs. A fixed window per key: returns {count, ms left in the window}. */
const CONSUME = new LuaScript(
  `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`,
  1,
);

/** ARGV: amount (0 just reads), ttlMs. A counter that expires ttlMs after its first add: returns the total. */
const ADD_USAGE = new LuaScript(
  `
if tonumber(ARGV[1]) == 0 then return tonumber(redis.call('GET', KEYS[1]) or '0') end
local total = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return total
`,
  1,
);

export interface RedisRateLimiterOptions {
  readonly redis: Redis;
  readonly prefix: string;
  /** Told when Redis is unreachable and a request was let through unchecked. */
  readonly onError?: (error: unknown, context: string) => void;
  /** Runs once when the adapter closes: gives back the connection it shares. */
  readonly release?: () => Promise<void>;
}

/**
 * Fixed-window counters in Redis, one atomic script per request, shared by every instance.
 * Fails open while Redis is unreachable: an outage must not stop users from chatting.
 */
export class RedisRateLimiter implements RateLimiter {
  readonly #release: () => Promise<void>;
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #onError: (error: unknown, context: string) => void;

  constructor(options: RedisRateLimiterOptions) {
    this.#release = once(options.release ?? (() => Promise.resolve()));
    this.#redis = options.redis;
    this.#prefix = options.prefix;
    this.#onError = options.onError ?? (() => undefined);
  }

  async consume(key: string, rule: RateLimitRule): Promise<RateLimitResult> {
    let reply: unknown;
    try {
      reply = await CONSUME.run(this.#redis, [`${this.#prefix}:rl:${key}`], [rule.windowMs]);
    } catch (error) {
      if (!isConnectionError(this.#redis, error)) throw error;
      this.#onError(error, 'rate limiter unreachable; request allowed');
      return { allowed: true };
    }
    if (!Array.isArray(reply)) throw new Error('unexpected rate limiter reply');
    const [count, ttl] = reply.map(Number);
    if (count === undefined || ttl === undefined) throw new Error('unexpected rate limiter reply');
    return count <= rule.limit ? { allowed: true } : { allowed: false, retryAfterMs: ttl };
  }

  async addUsage(key: string, amount: number, ttlMs: number): Promise<number> {
    try {
      const reply = await ADD_USAGE.run(
        this.#redis,
        [`${this.#prefix}:usage:${key}`],
        [amount, ttlMs],
      );
      return Number(reply);
    } catch (error) {
      if (!isConnectionError(this.#redis, error)) throw error;
      this.#onError(error, 'usage counter unreachable; counted as 0');
      return 0;
    }
  }

  async close(): Promise<void> {
    // The connection belongs to the Redis adapter group, which closes it.
    await this.#release();
  }
}
