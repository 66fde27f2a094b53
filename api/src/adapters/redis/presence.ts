import type { Redis } from 'ioredis';
import type { UserId } from '../../domain/model.ts';
import type { PresenceStore } from '../../ports/presence.ts';
import { isConnectionError } from './connection.ts';
import { LuaScript } from './lua.ts';
import { once } from './once.ts';

export interface RedisPresenceStoreOptions {
  readonly redis: Redis;
  readonly prefix: string;
  /** Names this process's sockets; unique per API instance. */
  readonly instanceId: string;
  /** A socket counts as open this long after its last heartbeat (default 30 s). */
  readonly ttlMs?: number;
  /** How often this instance renews its sockets (default a third of the TTL). */
  readonly heartbeatMs?: number;
  /** Reports failed heartbeats, which no caller awaits. */
  readonly onError?: (error: unknown, context: string) => void;
  /** Runs once when the adapter closes: gives back the connection it shares. */
  readonly release?: () => Promise<void>;
}

// Each user has a sorted set of open sockets: member `instance/connection`, score = the
// Redis time (ms) at which it expires unless renewed. Expired members are dropped first.
const NOW_MS = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
`;

/** The key lives as long as its longest-lived socket (instances may use different TTLs). */
const EXPIRE_WITH_NEWEST = `
local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if newest[2] then redis.call('PEXPIREAT', KEYS[1], newest[2]) end
`;

/** ARGV: member, ttlMs. Returns 1 when the user had no open socket before. */
const CONNECT = new LuaScript(
  `${NOW_MS}
local before = redis.call('ZCARD', KEYS[1])
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
${EXPIRE_WITH_NEWEST}
if before == 0 then return 1 end
return 0
`,
  1,
);

/** ARGV: member. Returns 1 when this removed the user's last open socket. */
const DISCONNECT = new LuaScript(
  `${NOW_MS}
local removed = redis.call('ZREM', KEYS[1], ARGV[1])
if removed == 1 and redis.call('ZCARD', KEYS[1]) == 0 then return 1 end
return 0
`,
  1,
);

/**
 * ARGV: ttlMs, mode, then members. Renews this instance's sockets of one user. Mode 'XX'
 * only renews (a socket closed meanwhile stays closed); 'NX' also restores sockets that a
 * restarted Redis forgot.
 */
const RENEW = new LuaScript(
  `${NOW_MS}
for i = 3, #ARGV do
  if ARGV[2] == 'XX' then redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i])
  else redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[i]) end
end
${EXPIRE_WITH_NEWEST}
return 1
`,
  1,
);

/** Returns 1 when the user has an open, unexpired socket on any instance. */
const IS_ONLINE = new LuaScript(
  `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')
`,
  1,
);

/**
 * Presence across API instances. Each instance renews its sockets with a heartbeat; the
 * sockets of an instance that dies expire, so its users go offline within the TTL.
 */
export class RedisPresenceStore implements PresenceStore {
  readonly #release: () => Promise<void>;
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #instanceId: string;
  readonly #ttlMs: number;
  readonly #heartbeatMs: number;
  readonly #onError: (error: unknown, context: string) => void;
  /** This instance's open sockets, by user. */
  readonly #sockets = new Map<UserId, Set<string>>();
  #timer: NodeJS.Timeout | null = null;
  /** Set when the connection dropped: Redis may have restarted without our sockets. */
  #restore = false;
  readonly #onClose = (): void => {
    this.#restore = true;
  };

  constructor(options: RedisPresenceStoreOptions) {
    this.#release = once(options.release ?? (() => Promise.resolve()));
    this.#redis = options.redis;
    this.#prefix = options.prefix;
    this.#instanceId = options.instanceId;
    this.#ttlMs = options.ttlMs ?? 30_000;
    this.#heartbeatMs = options.heartbeatMs ?? Math.floor(this.#ttlMs / 3);
    this.#onError = options.onError ?? (() => undefined);
    this.#redis.on('close', this.#onClose);
  }

  /** Records the socket; while Redis is unreachable it is restored on reconnect instead. */
  async connect(userId: UserId, connectionId: string): Promise<boolean> {
    let sockets = this.#sockets.get(userId);
    if (!sockets) {
      sockets = new Set();
      this.#sockets.set(userId, sockets);
    }
    sockets.add(connectionId);
    this.#startHeartbeat();
    try {
      const reply = await CONNECT.run(
        this.#redis,
        [this.#key(userId)],
        [this.#member(connectionId), this.#ttlMs],
      );
      return reply === 1;
    } catch (error) {
      if (!isConnectionError(this.#redis, error)) throw error;
      this.#onError(error, 'presence connect while Redis is unreachable');
      return false;
    }
  }

  async disconnect(userId: UserId, connectionId: string): Promise<boolean> {
    const sockets = this.#sockets.get(userId);
    sockets?.delete(connectionId);
    if (sockets?.size === 0) this.#sockets.delete(userId);
    try {
      const reply = await DISCONNECT.run(
        this.#redis,
        [this.#key(userId)],
        [this.#member(connectionId)],
      );
      return reply === 1;
    } catch (error) {
      // The socket's entry expires by itself within the TTL.
      if (!isConnectionError(this.#redis, error)) throw error;
      this.#onError(error, 'presence disconnect while Redis is unreachable');
      return false;
    }
  }

  async isOnline(userIds: readonly UserId[]): Promise<Map<UserId, boolean>> {
    const online = new Map<UserId, boolean>();
    let counts: unknown[];
    try {
      counts = await Promise.all(
        userIds.map((userId) => IS_ONLINE.run(this.#redis, [this.#key(userId)], [])),
      );
    } catch (error) {
      if (!isConnectionError(this.#redis, error)) throw error;
      // Unknown reads as offline: a presence dot must not fail the query that shows it.
      this.#onError(error, 'presence read while Redis is unreachable');
      counts = [];
    }
    userIds.forEach((userId, index) => {
      online.set(userId, Number(counts[index]) > 0);
    });
    return online;
  }

  /** Renews every socket of this instance now (the heartbeat calls it). */
  async renew(): Promise<void> {
    const mode = this.#restore ? 'NX' : 'XX';
    this.#restore = false;
    try {
      await Promise.all(
        [...this.#sockets].map(([userId, sockets]) =>
          RENEW.run(
            this.#redis,
            [this.#key(userId)],
            [this.#ttlMs, mode, ...[...sockets].map((id) => this.#member(id))],
          ),
        ),
      );
    } catch (error) {
      if (mode === 'NX') this.#restore = true;
      throw error;
    }
  }

  async close(): Promise<void> {
    this.#redis.off('close', this.#onClose);
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#release();
  }

  #startHeartbeat(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      this.renew().catch((error: unknown) => this.#onError(error, 'presence heartbeat'));
    }, this.#heartbeatMs);
    // The heartbeat alone must not keep a process alive.
    this.#timer.unref();
  }

  #key(userId: UserId): string {
    return `${this.#prefix}:presence:{${userId}}`;
  }

  #member(connectionId: string): string {
    return `${this.#instanceId}/${connectionId}`;
  }
}
