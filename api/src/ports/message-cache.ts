import type { ConversationId, Message } from '../domain/model.ts';

/**
 * A bounded window of each conversation's newest messages (memory or Redis). Messages enter
 * it at send time, before they are persisted, so it also covers the in-flight tail that
 * the store may not have yet. Failures must never fail a send: callers treat errors as a
 * miss.
 */
export interface MessageCache {
  /** Adds or replaces (by seq) a message, trimming the window to its bound. */
  put(message: Message): Promise<void>;
  /**
   * Up to `limit` newest messages with seq < beforeSeq (null: newest), ascending, or null
   * when the window cannot prove it holds every message in that range (a miss).
   */
  listBefore(
    conversationId: ConversationId,
    beforeSeq: number | null,
    limit: number,
  ): Promise<Message[] | null>;
  /** Every cached message with seq > afterSeq, ascending (possibly incomplete: merge with the store). */
  listAfter(conversationId: ConversationId, afterSeq: number): Promise<Message[]>;
  /**
   * Read repair: records that `messages` (ascending, as read from the store) are every
   * message of the conversation from their first seq up, making later reads in that range hits.
   */
  fill(
    conversationId: ConversationId,
    messages: readonly Message[],
    reachedStart: boolean,
  ): Promise<void>;
  close(): Promise<void>;
}
