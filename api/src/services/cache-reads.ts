import type { ConversationId, Message } from '../domain/model.ts';
import type { MessageCache } from '../ports/message-cache.ts';
import type { Logger } from './logger.ts';

/**
 * Cache reads that degrade to a miss: the cache is an accelerator, so its failures are logged
 * and the caller falls back to the store.
 */
export class SafeCache {
  readonly #cache: MessageCache;
  readonly #logger: Logger;

  constructor(cache: MessageCache, logger: Logger) {
    this.#cache = cache;
    this.#logger = logger;
  }

  /** `MessageCache.put`, never failing the send that calls it. */
  async put(message: Message): Promise<void> {
    try {
      await this.#cache.put(message);
    } catch (error) {
      this.#logger.warn({ err: error, conversationId: message.conversationId }, 'cache put failed');
    }
  }

  /** `MessageCache.listBefore`, with errors as a miss (null). */
  async listBefore(
    conversationId: ConversationId,
    beforeSeq: number | null,
    limit: number,
  ): Promise<Message[] | null> {
    try {
      return await this.#cache.listBefore(conversationId, beforeSeq, limit);
    } catch (error) {
      this.#logger.warn({ err: error, conversationId }, 'cache listBefore failed');
      return null;
    }
  }

  /** `MessageCache.listAfter`, with errors as an empty window. */
  async listAfter(conversationId: ConversationId, afterSeq: number): Promise<Message[]> {
    try {
      return await this.#cache.listAfter(conversationId, afterSeq);
    } catch (error) {
      this.#logger.warn({ err: error, conversationId }, 'cache listAfter failed');
      return [];
    }
  }

  /** `MessageCache.fill` (read repair), best effort. */
  async fill(
    conversationId: ConversationId,
    messages: readonly Message[],
    reachedStart: boolean,
    fromNewest: boolean,
  ): Promise<void> {
    try {
      await this.#cache.fill(conversationId, messages, reachedStart, fromNewest);
    } catch (error) {
      this.#logger.warn({ err: error, conversationId }, 'cache fill failed');
    }
  }
}

/**
 * Merges message lists by seq, ascending. Where two copies of a message differ, the later
 * `updatedAt` wins (ties: the earlier list), since the cache may hold a final state (an
 * assistant reply's end) that the store has not applied yet.
 */
export function mergeBySeq(...lists: readonly (readonly Message[])[]): Message[] {
  const bySeq = new Map<number, Message>();
  for (const list of lists) {
    for (const message of list) {
      const known = bySeq.get(message.seq);
      if (!known || message.updatedAt.getTime() > known.updatedAt.getTime()) {
        bySeq.set(message.seq, message);
      }
    }
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}
