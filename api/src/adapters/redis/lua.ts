import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Value a Lua script can return through ioredis. */
export type LuaReply = string | number | null | LuaReply[];

/**
 * A Lua script run atomically by Redis. Sent by SHA and re-sent in full only when Redis
 * does not know it (after a restart or SCRIPT FLUSH).
 */
export class LuaScript {
  readonly #source: string;
  readonly #sha: string;
  readonly #keys: number;

  constructor(source: string, keys: number) {
    this.#source = source;
    this.#sha = createHash('sha1').update(source).digest('hex');
    this.#keys = keys;
  }

  async run(
    redis: Redis,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<LuaReply> {
    if (keys.length !== this.#keys) throw new Error(`script expects ${this.#keys} keys`);
    try {
      return (await redis.evalsha(this.#sha, this.#keys, ...keys, ...args)) as LuaReply;
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return (await redis.eval(this.#source, this.#keys, ...keys, ...args)) as LuaReply;
    }
  }
}
