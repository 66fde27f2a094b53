import { z } from 'zod';
import type { Conversation, ConversationId, Message, UserId } from '../domain/model.ts';
import type { Adapters } from '../ports/index.ts';
import type { PromptHook } from './assistant/assistant-service.ts';
import type { SafeCache } from './cache-reads.ts';
import { mergeBySeq } from './cache-reads.ts';
import type { ConversationService } from './conversations.ts';
import { KeyedSerial } from './keyed-serial.ts';
import { enforceRateLimit, type RateLimitRules } from './rate-limits.ts';
import type { TypingService } from './typing.ts';
import { parseInput } from './validate.ts';

/** Message settings taken from config. */
export interface MessageOptions {
  /** Longest body after trimming, in characters. */
  readonly maxBodyLength: number;
  readonly rateLimits: Pick<RateLimitRules, 'sendMessage'>;
}

/** One page of history, oldest to newest. */
export interface MessagePage {
  readonly messages: Message[];
  /** Older messages exist before the first one. */
  readonly hasPrevious: boolean;
}

const historyInput = z.object({
  last: z.number().int().min(1).max(100),
  before: z
    .string()
    .regex(/^\d{1,15}$/, 'cursor must be a message seq')
    .transform(Number)
    .nullish(),
});

/** The write path (sendMessage) and history reads. */
export class MessageService {
  readonly #adapters: Adapters;
  readonly #cache: SafeCache;
  readonly #conversations: ConversationService;
  readonly #typing: TypingService;
  readonly #assistant: PromptHook;
  readonly #options: MessageOptions;
  readonly #sendInput;
  readonly #serial = new KeyedSerial();

  constructor(
    adapters: Adapters,
    cache: SafeCache,
    conversations: ConversationService,
    typing: TypingService,
    assistant: PromptHook,
    options: MessageOptions,
  ) {
    this.#adapters = adapters;
    this.#cache = cache;
    this.#conversations = conversations;
    this.#typing = typing;
    this.#assistant = assistant;
    this.#options = options;
    this.#sendInput = z.object({
      conversationId: z.string().min(1).max(64),
      body: z.string().trim().min(1, 'body must not be empty').max(options.maxBodyLength),
      clientId: z.string().min(1).max(128),
    });
  }

  /**
   * Sends a user message: announced to the members at once, durable in the log when this
   * resolves. Idempotent by clientId: a retry returns the first message and announces nothing.
   */
  async send(senderId: UserId, input: unknown): Promise<Message> {
    const data = parseInput(this.#sendInput, input);
    const conversation = await this.#conversations.requireMember(senderId, data.conversationId);
    const { limiter, store } = this.#adapters;
    await enforceRateLimit(limiter, `send:${senderId}`, this.#options.rateLimits.sendMessage);

    // A retry older than the registry's memory: the store already has the message.
    const stored = await store.messages.findByClientId(conversation.id, data.clientId);
    if (stored) return stored;
    await this.#assistant.admit(senderId, data.body);

    const claim = await this.#serial.run(conversation.id, () =>
      this.#claimAndAnnounce(conversation, senderId, data.body, data.clientId),
    );
    if (claim.retryOf && claim.durable) return claim.message;
    if (!claim.retryOf) await this.#typing.stopped(conversation.id, senderId);
    // First send, or a retry of one whose append failed: append the same message (same id
    // and seq) again; the store's idempotent insert absorbs any duplicate.
    await this.#adapters.log.append({ type: 'message.created', message: claim.message });
    await this.#adapters.clientIds.markDurable(conversation.id, data.clientId);
    // Not awaited: an `/ai` reply streams on its own and never delays the send.
    this.#assistant.onSent(claim.message, conversation);
    return claim.message;
  }

  /**
   * Allocates the seq, claims the clientId and, for a first send, caches and announces the
   * message. Serialised per conversation so this process announces in seq order.
   */
  async #claimAndAnnounce(
    conversation: Conversation,
    senderId: UserId,
    body: string,
    clientId: string,
  ): Promise<{ message: Message; durable: boolean; retryOf: boolean }> {
    const { seq, clientIds, clock, ids, bus } = this.#adapters;
    const now = clock.now();
    const message: Message = {
      id: ids.next(),
      conversationId: conversation.id,
      // A retry wastes this seq; gaps are allowed.
      seq: await seq.next(conversation.id),
      clientId,
      senderId,
      kind: 'USER',
      body,
      status: 'SENT',
      error: null,
      createdAt: now,
      updatedAt: now,
    };
    const earlier = await clientIds.claim(message);
    if (earlier) return { message: earlier.message, durable: earlier.durable, retryOf: true };

    await this.#cache.put(message);
    await bus.publish('conversation:event', conversation.id, { type: 'MessageAdded', message });
    await Promise.all(
      conversation.memberIds.map((memberId) =>
        bus.publish('inbox:event', memberId, {
          type: 'ConversationActivity',
          conversationId: conversation.id,
          message,
        }),
      ),
    );
    return { message, durable: false, retryOf: false };
  }

  /**
   * Up to `last` messages before the `before` cursor (a seq), oldest to newest: from the
   * cache window when it proves a hit, else from the store, repairing the cache.
   */
  async history(
    conversationId: ConversationId,
    last: unknown,
    before: unknown,
  ): Promise<MessagePage> {
    const input = parseInput(historyInput, { last, before });
    const beforeSeq = input.before ?? null;
    // One extra row tells whether an older page exists.
    const cached = await this.#cache.listBefore(conversationId, beforeSeq, input.last + 1);
    if (cached) return page(cached, input.last);

    const fromStore = await this.#adapters.store.messages.listBefore(
      conversationId,
      beforeSeq,
      input.last + 1,
    );
    // Only a read of the newest page can prove the window complete up to the present.
    await this.#cache.fill(
      conversationId,
      fromStore,
      fromStore.length <= input.last,
      beforeSeq === null,
    );
    // The store may lag the log by a moment: merge in the cached, not yet persisted tail.
    const floor = fromStore.length > input.last ? (fromStore[0]?.seq ?? 0) : 0;
    const tail = (await this.#cache.listAfter(conversationId, floor)).filter(
      (message) => beforeSeq === null || message.seq < beforeSeq,
    );
    return page(mergeBySeq(fromStore, tail), input.last);
  }

  /** The cursor of a message in `history`. */
  cursorOf(message: Message): string {
    return String(message.seq);
  }
}

function page(ascending: readonly Message[], last: number): MessagePage {
  return { messages: ascending.slice(-last), hasPrevious: ascending.length > last };
}
