import type { ConversationId, Message } from '../../domain/model.ts';
import type { MessageCache } from '../../ports/message-cache.ts';

export interface MemoryMessageCacheOptions {
  /** Newest messages kept per conversation (default 200). */
  readonly windowSize?: number;
  /** Conversations kept, least recently used evicted first (default 10 000). */
  readonly maxConversations?: number;
}

interface Window {
  /** Ascending by seq, at most `windowSize`. */
  readonly messages: Message[];
  /**
   * Every message with seq >= completeFrom is in `messages` (or not yet put, and then not
   * in the store either, since messages are put before they are persisted). Null until a
   * fill proves a range; -Infinity once the conversation's start is held.
   */
  completeFrom: number | null;
}

/**
 * The embedded recent-window cache. What it can prove is tracked as one bound per window,
 * `completeFrom`: puts never move it (a put may update an old message), fills lower it only
 * under the port's rules, and trimming raises it to the lowest seq kept.
 *
 * One residual race, accepted: if an active conversation is LRU-evicted between a put and
 * a store read, the next fill can miss that in-flight message (LRU makes it implausible).
 */
export function createMemoryMessageCache(options: MemoryMessageCacheOptions = {}): MessageCache {
  const windowSize = options.windowSize ?? 200;
  const maxConversations = options.maxConversations ?? 10_000;
  const windows = new Map<ConversationId, Window>();

  /** Looks a window up and marks it most recently used. */
  function use(conversationId: ConversationId): Window | undefined {
    const window = windows.get(conversationId);
    if (window !== undefined) {
      windows.delete(conversationId);
      windows.set(conversationId, window);
    }
    return window;
  }

  function useOrCreate(conversationId: ConversationId): Window {
    const existing = use(conversationId);
    if (existing !== undefined) return existing;
    const window: Window = { messages: [], completeFrom: null };
    windows.set(conversationId, window);
    for (const oldest of windows.keys()) {
      if (windows.size <= maxConversations) break;
      windows.delete(oldest);
    }
    return window;
  }

  function trim(window: Window): void {
    const excess = window.messages.length - windowSize;
    if (excess <= 0) return;
    window.messages.splice(0, excess);
    const lowestKept = window.messages[0]?.seq ?? Number.POSITIVE_INFINITY;
    if (window.completeFrom !== null) {
      window.completeFrom = Math.max(window.completeFrom, lowestKept);
    }
  }

  return {
    async put(message) {
      const window = useOrCreate(message.conversationId);
      insert(window.messages, message, 'replace');
      trim(window);
    },

    async listBefore(conversationId, beforeSeq, limit) {
      const window = use(conversationId);
      if (window === undefined || window.completeFrom === null) return null;
      const from = lowerBound(window.messages, window.completeFrom);
      const to = lowerBound(window.messages, beforeSeq ?? Number.POSITIVE_INFINITY);
      const proven = window.messages.slice(from, Math.max(from, to));
      if (proven.length >= limit) return proven.slice(proven.length - limit);
      // Fewer than asked for is an answer only when nothing older exists at all.
      return window.completeFrom === Number.NEGATIVE_INFINITY ? proven : null;
    },

    async listAfter(conversationId, afterSeq) {
      const window = use(conversationId);
      if (window === undefined) return [];
      return window.messages.slice(lowerBound(window.messages, afterSeq + 1));
    },

    async fill(conversationId, messages, reachedStart, fromNewest = false) {
      const seqs = messages.map((message) => message.seq);
      const known = windows.get(conversationId)?.completeFrom ?? null;
      const overlapsProven = known !== null && seqs.length > 0 && Math.max(...seqs) >= known;
      if (!fromNewest && !overlapsProven) return;
      if (seqs.length === 0 && !reachedStart) return;
      const window = useOrCreate(conversationId);
      // What is cached is fresher than the store (a put precedes persistence), so keep it.
      for (const message of messages) insert(window.messages, message, 'keep');
      const claim = reachedStart ? Number.NEGATIVE_INFINITY : Math.min(...seqs);
      window.completeFrom = Math.min(window.completeFrom ?? Number.POSITIVE_INFINITY, claim);
      trim(window);
    },

    async close() {
      windows.clear();
    },
  };
}

/** Index of the first message with seq >= `seq` (binary search). */
function lowerBound(messages: readonly Message[], seq: number): number {
  let low = 0;
  let high = messages.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((messages[middle]?.seq ?? Number.POSITIVE_INFINITY) < seq) low = middle + 1;
    else high = middle;
  }
  return low;
}

function insert(messages: Message[], message: Message, onSameSeq: 'replace' | 'keep'): void {
  const index = lowerBound(messages, message.seq);
  if (messages[index]?.seq === message.seq) {
    if (onSameSeq === 'replace') messages[index] = message;
  } else {
    messages.splice(index, 0, message);
  }
}
