import type { ConversationId } from '../domain/model.ts';

/**
 * Issues strictly increasing per-conversation sequence numbers, atomically across API
 * instances. A seq is never issued twice, even after the allocator loses its state.
 */
export interface SeqAllocator {
  next(conversationId: ConversationId): Promise<number>;
  close(): Promise<void>;
}

/** Highest seq that could already have been issued for a conversation (for re-seeding). */
export type SeqFloorSource = (conversationId: ConversationId) => Promise<number>;
