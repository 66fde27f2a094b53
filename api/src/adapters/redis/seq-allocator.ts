import type { Redis } from 'ioredis';
import type { ConversationId } from '../../domain/model.ts';
import type { SeqAllocator, SeqLease, SeqLeaseStore } from '../../ports/seq-allocator.ts';
import { isConnectionError } from './connection.ts';
import { LuaScript } from './lua.ts';
import { once } from './once.ts';

export interface RedisSeqAllocatorOptions {
  readonly redis: Redis;
  readonly prefix: string;
  /** The durable ceiling (the Mongo adapter's `seq_leases`). */
  readonly leases: SeqLeaseStore;
  /** Seqs granted per lease (default 1000). A lost counter skips at most this many. */
  readonly block?: number;
  /** How long a lease is valid (default 5 s); also the longest wait when Redis goes away. */
  readonly leaseMs?: number;
  /** Reports background failures (lease renewals) that no caller awaits. */
  readonly onError?: (error: unknown, context: string) => void;
  /** Runs once when the adapter closes: gives back the connection it shares. */
  readonly release?: () => Promise<void>;
}

/**
 * ARGV: renewMarginSeqs, renewMarginMs. Returns the new seq, negated when the lease runs
 * low (renew in the background), or 0 when there is no usable lease.
 */
const ALLOC = new LuaScript(
  `
local ceiling = redis.call('GET', KEYS[2])
local current = redis.call('GET', KEYS[1])
if not ceiling or not current then return 0 end
ceiling = tonumber(ceiling)
if tonumber(current) >= ceiling then return 0 end
local seq = redis.call('INCR', KEYS[1])
if ceiling - seq < tonumber(ARGV[1]) or redis.call('PTTL', KEYS[2]) < tonumber(ARGV[2]) then
  return -seq
end
return seq
`,
  2,
);

/**
 * ARGV: base, ceiling, untilMs, baseFromCounter. Only ever raises the counter and the lease
 * ceiling. Returns 0 without a change when the base came from a counter that has since been
 * lost (a flush during the renewal): that base is stale, and the renewal must start over.
 */
const INSTALL = new LuaScript(
  `
local current = redis.call('GET', KEYS[1])
if not current and ARGV[4] == '1' then return 0 end
if not current or tonumber(current) < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
local lease = tonumber(redis.call('GET', KEYS[2]) or '-1')
if tonumber(ARGV[2]) >= lease then redis.call('SET', KEYS[2], ARGV[2], 'PXAT', ARGV[3]) end
return 1
`,
  2,
);

/**
 * ARGV: block, untilMs. Extends a lease without the durable store (while it is down),
 * only when the counter survived. Returns 0 when it did not.
 */
const EXTEND = new LuaScript(
  `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
local ceiling = tonumber(current) + tonumber(ARGV[1])
local lease = tonumber(redis.call('GET', KEYS[2]) or '-1')
if ceiling > lease then redis.call('SET', KEYS[2], ceiling, 'PXAT', ARGV[2])
else redis.call('SET', KEYS[2], lease, 'PXAT', ARGV[2]) end
return 1
`,
  2,
);

/**
 * Seq allocator on an atomic Redis INCR, bounded by leases from a durable store. Every seq
 * Redis issues lies under a ceiling the store recorded first, so a flushed Redis re-seeds
 * above it, and while Redis is unreachable seqs are issued by the store itself (after the
 * last lease has expired, so that Redis can no longer issue a lower one).
 */
export class RedisSeqAllocator implements SeqAllocator {
  readonly #release: () => Promise<void>;
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #leases: SeqLeaseStore;
  readonly #block: number;
  readonly #leaseMs: number;
  readonly #onError: (error: unknown, context: string) => void;
  readonly #renewing = new Map<ConversationId, Promise<void>>();

  constructor(options: RedisSeqAllocatorOptions) {
    this.#release = once(options.release ?? (() => Promise.resolve()));
    this.#redis = options.redis;
    this.#prefix = options.prefix;
    this.#leases = options.leases;
    this.#block = options.block ?? 1000;
    this.#leaseMs = options.leaseMs ?? 5_000;
    this.#onError = options.onError ?? (() => undefined);
  }

  async next(conversationId: ConversationId): Promise<number> {
    const keys = this.#keys(conversationId);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      let reply: unknown;
      try {
        reply = await ALLOC.run(this.#redis, keys, [Math.ceil(this.#block / 2), this.#leaseMs / 2]);
      } catch (error) {
        if (!isConnectionError(this.#redis, error)) throw error;
        return this.#issueDirect(conversationId);
      }
      if (typeof reply !== 'number') throw new Error('unexpected seq allocator reply');
      if (reply > 0) return reply;
      if (reply < 0) {
        this.#renew(conversationId).catch((error: unknown) =>
          this.#onError(error, 'seq lease renewal'),
        );
        return -reply;
      }
      try {
        await this.#renew(conversationId);
      } catch (error) {
        if (!isConnectionError(this.#redis, error)) throw error;
        return this.#issueDirect(conversationId);
      }
    }
    throw new Error(`seq allocator: no lease for conversation ${conversationId}`);
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.#renewing.values());
    await this.#release();
  }

  /** One renewal per conversation at a time in this process. */
  #renew(conversationId: ConversationId): Promise<void> {
    const running = this.#renewing.get(conversationId);
    if (running) return running;
    const renewal = this.#doRenew(conversationId).finally(() =>
      this.#renewing.delete(conversationId),
    );
    this.#renewing.set(conversationId, renewal);
    return renewal;
  }

  async #doRenew(conversationId: ConversationId): Promise<void> {
    const keys = this.#keys(conversationId);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const raw = await this.#redis.get(keys[0]);
      const current = raw === null ? null : Number(raw);
      let lease: SeqLease;
      try {
        lease = await this.#leases.grant(
          conversationId,
          current,
          this.#block,
          Date.now() + this.#leaseMs,
        );
      } catch (error) {
        // The durable store is down: keep Redis issuing from its surviving counter, and let
        // the next renewal record the new ceiling once the store is back.
        const extended = await EXTEND.run(this.#redis, keys, [
          this.#block,
          Date.now() + this.#leaseMs,
        ]);
        if (extended === 1) {
          this.#onError(error, 'seq lease grant failed; extended the lease in Redis only');
          return;
        }
        throw error;
      }
      const installed = await INSTALL.run(this.#redis, keys, [
        lease.base,
        lease.ceiling,
        lease.untilMs,
        current === null ? 0 : 1,
      ]);
      if (installed === 1) return;
    }
    throw new Error(`seq allocator: Redis keeps losing the counter of ${conversationId}`);
  }

  async #issueDirect(conversationId: ConversationId): Promise<number> {
    const { seq, leaseUntilMs } = await this.#leases.issueDirect(conversationId);
    const wait = leaseUntilMs - Date.now();
    // A lease granted before Redis went away may still be honoured by Redis until then.
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    return seq;
  }

  #keys(conversationId: ConversationId): [string, string] {
    const base = `${this.#prefix}:seq:{${conversationId}}`;
    return [base, `${base}:lease`];
  }
}
