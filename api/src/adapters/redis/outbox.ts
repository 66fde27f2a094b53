import type { Redis } from 'ioredis';
import { LuaScript } from './lua.ts';

/** One record parked in the outbox: what would have been produced to Kafka. */
export interface OutboxEntry {
  /** The stream entry id (time-ordered). */
  readonly id: string;
  readonly key: string;
  readonly value: string;
}

export interface RedisOutboxOptions {
  readonly redis: Redis;
  readonly prefix: string;
  /** How long a drainer holds the drain lock without renewing it (default 15 s). */
  readonly lockMs?: number;
}

/** ARGV: owner, lockMs. Takes or renews the drain lock; 1 when held by `owner`. */
const LOCK = new LuaScript(
  `
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`,
  1,
);

const UNLOCK = new LuaScript(
  `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`,
  1,
);

/**
 * The Kafka-outage outbox: a Redis Stream (persisted by Redis's append-only file) holding
 * records that could not be produced. A drainer republishes them in order and deletes them;
 * a drainer crash between the two republishes them again, which the store's idempotent
 * insert absorbs. One drainer at a time across instances, by a lock with an expiry.
 */
export class RedisOutbox {
  readonly #redis: Redis;
  readonly #stream: string;
  readonly #lock: string;
  readonly #lockMs: number;

  constructor(options: RedisOutboxOptions) {
    this.#redis = options.redis;
    this.#stream = `${options.prefix}:outbox`;
    this.#lock = `${options.prefix}:outbox:drainer`;
    this.#lockMs = options.lockMs ?? 15_000;
  }

  /** Appends records atomically (one MULTI), in order. */
  async append(records: readonly { key: string; value: string }[]): Promise<void> {
    if (records.length === 0) return;
    const multi = this.#redis.multi();
    for (const record of records) multi.xadd(this.#stream, '*', 'k', record.key, 'v', record.value);
    const results = await multi.exec();
    if (results === null) throw new Error('outbox append aborted');
    for (const [error] of results) if (error) throw error;
  }

  /** The oldest `count` entries. */
  async peek(count: number): Promise<OutboxEntry[]> {
    const entries = await this.#redis.xrange(this.#stream, '-', '+', 'COUNT', count);
    return entries.map(([id, fields]) => {
      const map = new Map<string, string>();
      for (let i = 0; i + 1 < fields.length; i += 2) {
        const name = fields[i];
        const value = fields[i + 1];
        if (name !== undefined && value !== undefined) map.set(name, value);
      }
      const key = map.get('k');
      const value = map.get('v');
      if (key === undefined || value === undefined) throw new Error(`malformed outbox entry ${id}`);
      return { id, key, value };
    });
  }

  async delete(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.#redis.xdel(this.#stream, ...ids);
  }

  async depth(): Promise<number> {
    return this.#redis.xlen(this.#stream);
  }

  /** Takes (or renews) the drain lock for `owner`; false when another drainer holds it. */
  async lock(owner: string): Promise<boolean> {
    return (await LOCK.run(this.#redis, [this.#lock], [owner, this.#lockMs])) === 1;
  }

  async unlock(owner: string): Promise<void> {
    await UNLOCK.run(this.#redis, [this.#lock], [owner]);
  }
}
