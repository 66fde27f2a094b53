import type { Redis } from 'ioredis';
import type { ConversationId, Message } from '../../domain/model.ts';
import type { ClaimedSend, ClientIdRegistry } from '../../ports/client-id-registry.ts';
import { isConnectionError } from './connection.ts';
import { parseWithDates } from './json.ts';
import { LuaScript } from './lua.ts';
import { once } from './once.ts';

/** ARGV: message JSON, ttlMs. Returns {message, durable} of an earlier claim, or nil. */
const CLAIM = new LuaScript(
  `
local found = redis.call('HMGET', KEYS[1], 'message', 'durable')
if found[1] then return found end
redis.call('HSET', KEYS[1], 'message', ARGV[1], 'durable', '0')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return false
`,
  1,
);

const MARK_DURABLE = new LuaScript(
  `
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'durable', '1') end
return 1
`,
  1,
);

export interface RedisClientIdRegistryOptions {
  readonly redis: Redis;
  readonly prefix: string;
  /** How long a claim is remembered (default one hour); the store covers older retries. */
  readonly ttlMs?: number;
  /** Used while Redis is unreachable (an in-process registry: covers retries to this instance). */
  readonly fallback: ClientIdRegistry;
  readonly onError?: (error: unknown, context: string) => void;
  /** Runs once when the adapter closes: gives back the connection it shares. */
  readonly release?: () => Promise<void>;
}

/** Idempotency claims shared by every API instance: one atomic claim per (conversation, clientId). */
export class RedisClientIdRegistry implements ClientIdRegistry {
  readonly #release: () => Promise<void>;
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #ttlMs: number;
  readonly #fallback: ClientIdRegistry;
  readonly #onError: (error: unknown, context: string) => void;

  constructor(options: RedisClientIdRegistryOptions) {
    this.#release = once(options.release ?? (() => Promise.resolve()));
    this.#redis = options.redis;
    this.#prefix = options.prefix;
    this.#ttlMs = options.ttlMs ?? 60 * 60 * 1000;
    this.#fallback = options.fallback;
    this.#onError = options.onError ?? (() => undefined);
  }

  async claim(message: Message): Promise<ClaimedSend | null> {
    if (message.clientId === null) return null;
    let reply: unknown;
    try {
      reply = await CLAIM.run(
        this.#redis,
        [this.#key(message.conversationId, message.clientId)],
        [JSON.stringify(message), this.#ttlMs],
      );
    } catch (error) {
      if (!isConnectionError(this.#redis, error)) throw error;
      this.#onError(error, 'clientId claim while Redis is unreachable; using this instance only');
      return this.#fallback.claim(message);
    }
    if (!Array.isArray(reply)) return null;
    const [earlier, durable] = reply;
    if (typeof earlier !== 'string') throw new Error('unexpected clientId registry reply');
    return { message: parseWithDates(earlier) as Message, durable: durable === '1' };
  }

  async markDurable(conversationId: ConversationId, clientId: string): Promise<void> {
    try {
      await MARK_DURABLE.run(this.#redis, [this.#key(conversationId, clientId)], []);
    } catch (error) {
      if (!isConnectionError(this.#redis, error)) throw error;
      await this.#fallback.markDurable(conversationId, clientId);
    }
  }

  async close(): Promise<void> {
    await this.#fallback.close();
    await this.#release();
  }

  #key(conversationId: ConversationId, clientId: string): string {
    return `${this.#prefix}:cid:{${conversationId}}:${clientId}`;
  }
}
