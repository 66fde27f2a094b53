import type { ConversationId, Message } from '../domain/model.ts';

export interface ClaimedSend {
  readonly message: Message;
  /** Whether the message reached the durable log. A failed append leaves it false. */
  readonly durable: boolean;
}

/**
 * Makes `sendMessage` idempotent by clientId before the message reaches the store: the
 * first send claims (conversation, clientId); a retry gets the claimed message back and,
 * if it never became durable, appends that same message (same id and seq) again.
 * Entries expire after a while; the store's unique index covers older retries.
 */
export interface ClientIdRegistry {
  /** Atomically claims the key for `message`; returns the earlier claim when there is one. */
  claim(message: Message): Promise<ClaimedSend | null>;
  markDurable(conversationId: ConversationId, clientId: string): Promise<void>;
  close(): Promise<void>;
}
