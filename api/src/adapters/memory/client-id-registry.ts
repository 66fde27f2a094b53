import type { ConversationId, Message } from '../../domain/model.ts';
import type { ClientIdRegistry } from '../../ports/client-id-registry.ts';
import type { Clock } from '../../ports/clock.ts';
import { systemClock } from '../system/clock.ts';

export interface MemoryClientIdRegistryOptions {
  readonly clock?: Clock;
  /** How long a claim answers retries (default 10 minutes); the store's unique index covers later ones. */
  readonly ttlMs?: number;
  /** Claims kept at most; the oldest are dropped first (default 100 000). */
  readonly maxEntries?: number;
}

interface Claim {
  readonly message: Message;
  durable: boolean;
  readonly expiresAt: number;
}

/**
 * Claims by (conversation, clientId) in this process. Claims are kept in insertion order,
 * which with one TTL is also expiry order, so expiry and the size bound both trim the head.
 * Messages without a clientId have nothing to claim and always proceed.
 */
export function createMemoryClientIdRegistry(
  options: MemoryClientIdRegistryOptions = {},
): ClientIdRegistry {
  const clock = options.clock ?? systemClock;
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const maxEntries = options.maxEntries ?? 100_000;
  const claims = new Map<string, Claim>();

  function live(key: string, now: number): Claim | undefined {
    const claim = claims.get(key);
    if (claim !== undefined && claim.expiresAt <= now) {
      claims.delete(key);
      return undefined;
    }
    return claim;
  }

  function prune(now: number): void {
    for (const [key, claim] of claims) {
      if (claims.size <= maxEntries && claim.expiresAt > now) break;
      claims.delete(key);
    }
  }

  return {
    async claim(message) {
      if (message.clientId === null) return null;
      const now = clock.now().getTime();
      const key = keyOf(message.conversationId, message.clientId);
      const earlier = live(key, now);
      if (earlier !== undefined) return { message: earlier.message, durable: earlier.durable };
      claims.set(key, { message, durable: false, expiresAt: now + ttlMs });
      prune(now);
      return null;
    },

    async markDurable(conversationId, clientId) {
      const claim = live(keyOf(conversationId, clientId), clock.now().getTime());
      if (claim !== undefined) claim.durable = true;
    },

    async close() {
      claims.clear();
    },
  };
}

function keyOf(conversationId: ConversationId, clientId: string): string {
  return JSON.stringify([conversationId, clientId]);
}
