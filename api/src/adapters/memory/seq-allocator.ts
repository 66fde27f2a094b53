import type { ConversationId } from '../../domain/model.ts';
import type { SeqAllocator, SeqFloorSource } from '../../ports/seq-allocator.ts';

export interface MemorySeqAllocatorOptions {
  /**
   * Added to the floor when a conversation is seeded. Seqs issued but not yet stored when
   * the process died are above the store's max; a headroom at least as large as the sends
   * that can be in flight keeps them from being issued again after a restart (gaps are fine).
   */
  readonly headroom?: number;
}

/**
 * Per-conversation counters in this process. A cold conversation is seeded once from
 * `floor` (concurrent callers share that one call); after that `next()` is a synchronous
 * increment, so concurrent calls get distinct, increasing values. Counters are never
 * evicted: re-seeding from the store could reissue a seq that is still in flight.
 */
export function createMemorySeqAllocator(
  floor: SeqFloorSource,
  options: MemorySeqAllocatorOptions = {},
): SeqAllocator {
  const headroom = options.headroom ?? 0;
  const last = new Map<ConversationId, number>();
  const seeding = new Map<ConversationId, Promise<void>>();
  let closed = false;

  function seed(conversationId: ConversationId): Promise<void> {
    let pending = seeding.get(conversationId);
    if (pending === undefined) {
      pending = floor(conversationId)
        .then((value) => {
          if (!Number.isSafeInteger(value) || value < 0) {
            throw new RangeError(
              `seq floor for ${conversationId} is not a natural number: ${value}`,
            );
          }
          if (!last.has(conversationId)) last.set(conversationId, value + headroom);
        })
        // A failed seed is forgotten so that the next call tries again.
        .finally(() => seeding.delete(conversationId));
      seeding.set(conversationId, pending);
    }
    return pending;
  }

  return {
    async next(conversationId) {
      if (closed) throw new Error('seq allocator is closed');
      let current = last.get(conversationId);
      while (current === undefined) {
        await seed(conversationId);
        current = last.get(conversationId);
      }
      const issued = current + 1;
      last.set(conversationId, issued);
      return issued;
    },

    async close() {
      closed = true;
    },
  };
}
