import type { Redis } from 'ioredis';
import type { ConversationId, Message } from '../../domain/model.ts';
import type { MessageCache } from '../../ports/message-cache.ts';
import { parseWithDates } from './json.ts';
import { type LuaReply, LuaScript } from './lua.ts';
import { once } from './once.ts';

export interface RedisMessageCacheOptions {
  readonly redis: Redis;
  readonly prefix: string;
  /** Newest messages kept per conversation (default 200). */
  readonly windowSize?: number;
  /** Idle time after which a conversation's window is dropped (default one day). */
  readonly ttlMs?: number;
  /** Runs once when the adapter closes: gives back the connection it shares. */
  readonly release?: () => Promise<void>;
}

// Each conversation has a sorted set (score = seq, member = message JSON) and, once a fill
// proved it, a floor: the window holds every message with seq >= floor (0 = from the very
// first message). Puts never set a floor (a put may update an old message); trimming raises it.
const TRIM = `
local size = redis.call('ZCARD', KEYS[1])
local max = tonumber(ARGV[1])
if size > max then
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, size - max - 1)
  local floor = redis.call('GET', KEYS[2])
  local lowest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  if floor and tonumber(lowest[2]) > tonumber(floor) then redis.call('SET', KEYS[2], lowest[2]) end
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
`;

/** ARGV: maxSize, ttlMs, seq, json. */
const PUT = new LuaScript(
  `
redis.call('ZREMRANGEBYSCORE', KEYS[1], ARGV[3], ARGV[3])
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
${TRIM}
return 1
`,
  2,
);

/**
 * ARGV: maxSize, ttlMs, reachedStart, fromNewest, then seq/json pairs (ascending). Proves
 * the window from the first seq up (0 with reachedStart) only when the read was of the
 * newest messages or reaches into the proven range; otherwise changes nothing. Adds only
 * seqs not present, so a store read never overwrites a newer state put meanwhile.
 */
const FILL = new LuaScript(
  `
local known = redis.call('GET', KEYS[2])
local count = (#ARGV - 4) / 2
if ARGV[4] ~= '1' then
  if not known or count == 0 or tonumber(ARGV[#ARGV - 1]) < tonumber(known) then return 0 end
end
if count == 0 and ARGV[3] ~= '1' then return 0 end
for i = 5, #ARGV, 2 do
  if redis.call('ZCOUNT', KEYS[1], ARGV[i], ARGV[i]) == 0 then
    redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i + 1])
  end
end
local claim
if ARGV[3] == '1' then claim = 0 else claim = tonumber(ARGV[5]) end
if not known or claim < tonumber(known) then redis.call('SET', KEYS[2], claim) end
${TRIM}
return 1
`,
  2,
);

/** ARGV: max score ('+inf' or '(seq'), limit. Returns false on a cold window, else {floor, items}. */
const LIST_BEFORE = new LuaScript(
  `
local floor = redis.call('GET', KEYS[2])
if not floor then return false end
local items = redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[1], floor, 'LIMIT', 0, ARGV[2])
return {floor, items}
`,
  2,
);

/**
 * Recent-window cache in Redis with a completeness floor, so a read can prove it is a hit.
 * Every read and write is one atomic script, so instances sharing it never see half an update.
 */
export class RedisMessageCache implements MessageCache {
  readonly #release: () => Promise<void>;
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #windowSize: number;
  readonly #ttlMs: number;

  constructor(options: RedisMessageCacheOptions) {
    this.#release = once(options.release ?? (() => Promise.resolve()));
    this.#redis = options.redis;
    this.#prefix = options.prefix;
    this.#windowSize = options.windowSize ?? 200;
    this.#ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
  }

  async put(message: Message): Promise<void> {
    await PUT.run(this.#redis, this.#keys(message.conversationId), [
      this.#windowSize,
      this.#ttlMs,
      message.seq,
      JSON.stringify(message),
    ]);
  }

  async listBefore(
    conversationId: ConversationId,
    beforeSeq: number | null,
    limit: number,
  ): Promise<Message[] | null> {
    if (limit <= 0) return [];
    const max = beforeSeq === null ? '+inf' : `(${beforeSeq}`;
    const reply = await LIST_BEFORE.run(this.#redis, this.#keys(conversationId), [max, limit]);
    if (!Array.isArray(reply)) return null;
    const [floor, items] = reply;
    if (!Array.isArray(items)) throw new Error('unexpected cache reply');
    // Fewer than `limit` is still a proof when the window reaches the first message.
    if (items.length < limit && Number(floor) !== 0) return null;
    return decodeAll(items).reverse();
  }

  async listAfter(conversationId: ConversationId, afterSeq: number): Promise<Message[]> {
    const [key] = this.#keys(conversationId);
    const items = await this.#redis.zrangebyscore(key, `(${afterSeq}`, '+inf');
    return decodeAll(items);
  }

  async fill(
    conversationId: ConversationId,
    messages: readonly Message[],
    reachedStart: boolean,
    fromNewest = false,
  ): Promise<void> {
    if (!reachedStart && messages.length === 0) return;
    const ascending = [...messages].sort((a, b) => a.seq - b.seq);
    const args: (string | number)[] = [
      this.#windowSize,
      this.#ttlMs,
      reachedStart ? 1 : 0,
      fromNewest ? 1 : 0,
    ];
    for (const message of ascending) args.push(message.seq, JSON.stringify(message));
    await FILL.run(this.#redis, this.#keys(conversationId), args);
  }

  async close(): Promise<void> {
    // The connection belongs to the Redis adapter group, which closes it.
    await this.#release();
  }

  #keys(conversationId: ConversationId): [string, string] {
    // The hash tag keeps both keys of a conversation in one slot on Redis Cluster.
    const base = `${this.#prefix}:cache:{${conversationId}}`;
    return [base, `${base}:floor`];
  }
}

function decodeAll(items: readonly LuaReply[]): Message[] {
  return items.map((item) => {
    if (typeof item !== 'string') throw new Error('unexpected cache member');
    return parseWithDates(item) as Message;
  });
}
