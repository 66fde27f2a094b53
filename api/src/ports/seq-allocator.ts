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

/** A granted range: the allocator may issue seqs in (base, ceiling] until `untilMs`. */
export interface SeqLease {
  readonly base: number;
  readonly ceiling: number;
  readonly untilMs: number;
}

/**
 * The durable record behind a fast seq allocator (Redis): per conversation, a ceiling no
 * issued seq exceeds. It lets the allocator re-seed after losing its state and issue seqs
 * directly while it is unreachable, without ever reissuing one.
 */
export interface SeqLeaseStore {
  /**
   * Grants the next lease. `current` is the allocator's counter, or null when it was lost;
   * the lease starts above every seq issued directly since the last grant.
   */
  grant(
    conversationId: ConversationId,
    current: number | null,
    block: number,
    untilMs: number,
  ): Promise<SeqLease>;
  /**
   * Issues one seq above the ceiling, for when the fast allocator is unreachable. Returns
   * it with the time until which earlier leases may still be in use.
   */
  issueDirect(conversationId: ConversationId): Promise<{ seq: number; leaseUntilMs: number }>;
}
