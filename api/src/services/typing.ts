import type { ConversationId, UserId } from '../domain/model.ts';
import type { Adapters } from '../ports/index.ts';
import type { ConversationService } from './conversations.ts';
import type { Logger } from './logger.ts';

/** Typing settings taken from config. */
export interface TypingOptions {
  /** A typing indicator ends by itself this long after the last `setTyping(true)`. */
  readonly ttlMs: number;
}

/**
 * Ephemeral typing indicators: never stored, announced to the members as TypingChanged, and
 * expired on the server so a client that vanishes does not type forever.
 */
export class TypingService {
  readonly #adapters: Adapters;
  readonly #conversations: ConversationService;
  readonly #options: TypingOptions;
  readonly #logger: Logger;
  /** Expiry timers of active indicators, by `conversationId:userId`. */
  readonly #active = new Map<string, NodeJS.Timeout>();

  constructor(
    adapters: Adapters,
    conversations: ConversationService,
    options: TypingOptions,
    logger: Logger,
  ) {
    this.#adapters = adapters;
    this.#conversations = conversations;
    this.#options = options;
    this.#logger = logger;
  }

  /** Starts, refreshes or ends the viewer's indicator in a conversation they belong to. */
  async set(viewerId: UserId, conversationId: unknown, typing: boolean): Promise<boolean> {
    const conversation = await this.#conversations.requireMember(viewerId, conversationId);
    const key = `${conversation.id}:${viewerId}`;
    const wasTyping = this.#clear(key);
    if (typing) {
      const timer = setTimeout(() => {
        this.#active.delete(key);
        this.#publish(conversation.id, viewerId, false).catch((error: unknown) => {
          this.#logger.error(
            { err: error, conversationId: conversation.id },
            'typing expiry failed',
          );
        });
      }, this.#options.ttlMs);
      this.#active.set(key, timer);
    }
    // Refreshes of an indicator active here are not re-announced; a stop always is, since
    // the start may have gone through another API instance.
    if (!typing || !wasTyping) await this.#publish(conversation.id, viewerId, typing);
    return true;
  }

  /** Ends the sender's indicator when their message goes out. */
  async stopped(conversationId: ConversationId, userId: UserId): Promise<void> {
    if (this.#clear(`${conversationId}:${userId}`)) {
      await this.#publish(conversationId, userId, false);
    }
  }

  /** Drops every timer (shutdown). */
  close(): void {
    for (const timer of this.#active.values()) clearTimeout(timer);
    this.#active.clear();
  }

  #clear(key: string): boolean {
    const timer = this.#active.get(key);
    if (!timer) return false;
    clearTimeout(timer);
    this.#active.delete(key);
    return true;
  }

  #publish(conversationId: ConversationId, userId: UserId, typing: boolean): Promise<void> {
    return this.#adapters.bus.publish('conversation:event', conversationId, {
      type: 'TypingChanged',
      userId,
      typing,
    });
  }
}
