import type { ConversationId, Message } from '../domain/model.ts';

/**
 * A bounded window of each conversation's newest messages (memory or Redis). Messages enter
 * it at send time, before they are persisted, so it also covers the in-flight tail that
 * the store may not have yet. Failures must never fail a send: callers treat errors as a
 * miss.
 */
export interface MessageCache {
  /**
   * Adds or replaces (by seq) a message, trimming the window to its bound. A put never
   * proves a range complete by itself: it may be an update of an old message.
   */
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
   * Read repair with `messages` as read from the store (ascending; `reachedStart`: nothing
   * older exists). The window becomes complete from their first seq up (from the start when
   * `reachedStart`) only when that is provable: the read was of the newest messages
   * (`fromNewest`: no `before` bound; anything newer is put before it is stored) or it reaches
   * into the range already proven. Any other fill is ignored, so an older page can never make
   * a gap look complete. Messages already cached are kept: a put is fresher than the store.
   */
  fill(
    conversationId: ConversationId,
    messages: readonly Message[],
    reachedStart: boolean,
    fromNewest?: boolean,
  ): Promise<void>;
  close(): Promise<void>;
}
