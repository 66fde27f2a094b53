import { z } from 'zod';
import type { ConversationId, Message } from '../domain/model.ts';
import type { EventStream } from '../ports/event-bus.ts';
import type { ConversationEvent, InboxEvent } from '../ports/events.ts';
import type { Adapters } from '../ports/index.ts';
import type { SafeCache } from './cache-reads.ts';
import { mergeBySeq } from './cache-reads.ts';
import type { ConversationService } from './conversations.ts';
import type { Logger } from './logger.ts';
import type { Viewer } from './tokens.ts';
import { parseInput } from './validate.ts';

/** Subscription settings taken from config. */
export interface EventOptions {
  /** More missed messages than this on resume get one ResyncRequired instead. */
  readonly resyncThreshold: number;
}

const afterSeqInput = z.number().int().min(0).nullish();

/** How many delivered seqs a stream remembers to drop duplicates; late duplicates are rarer. */
const DEDUPE_WINDOW = 4096;

/** The live streams behind the `conversationEvents` and `inbox` subscriptions. */
export class EventService {
  readonly #adapters: Adapters;
  readonly #cache: SafeCache;
  readonly #conversations: ConversationService;
  readonly #options: EventOptions;
  readonly #logger: Logger;

  constructor(
    adapters: Adapters,
    cache: SafeCache,
    conversations: ConversationService,
    options: EventOptions,
    logger: Logger,
  ) {
    this.#adapters = adapters;
    this.#cache = cache;
    this.#conversations = conversations;
    this.#options = options;
    this.#logger = logger;
  }

  /**
   * A member's stream of a conversation. With `afterSeq`: every message with a greater seq in
   * order, then live events, nothing missed and nothing twice. The live stream is registered
   * before the backlog is read; authorisation fails here, before any event flows.
   */
  async conversationEvents(
    viewer: Viewer,
    conversationId: unknown,
    afterSeq: unknown,
  ): Promise<AsyncIterable<ConversationEvent>> {
    const after = parseInput(afterSeqInput, afterSeq) ?? null;
    const conversation = await this.#conversations.requireMember(viewer.userId, conversationId);
    const live = await this.#adapters.bus.subscribe('conversation:event', conversation.id);
    try {
      const backlog = after === null ? [] : await this.#backlog(conversation.id, after);
      return replayThenLive(backlog, live, async (error) => {
        // The live stream broke (e.g. this subscriber fell too far behind): end with
        // ResyncRequired, so the client reloads and resumes with afterSeq, losing nothing.
        this.#logger.warn({ err: error, conversationId: conversation.id }, 'live stream ended');
        return {
          type: 'ResyncRequired',
          latestSeq: await this.#conversations.latestSeq(conversation.id),
        };
      });
    } catch (error) {
      await live.return();
      throw error;
    }
  }

  /** The viewer's inbox: activity in their conversations and their contacts' presence. */
  inbox(viewer: Viewer): Promise<EventStream<InboxEvent>> {
    return this.#adapters.bus.subscribe('inbox:event', viewer.userId);
  }

  /** Messages after `afterSeq` from the store and the not yet persisted cache tail. */
  async #backlog(conversationId: ConversationId, afterSeq: number): Promise<ConversationEvent[]> {
    const threshold = this.#options.resyncThreshold;
    const [stored, cached] = await Promise.all([
      this.#adapters.store.messages.listAfter(conversationId, afterSeq, threshold + 1),
      this.#cache.listAfter(conversationId, afterSeq),
    ]);
    const missed = mergeBySeq(stored, cached);
    if (stored.length > threshold || missed.length > threshold) {
      const latestSeq = Math.max(
        await this.#adapters.store.messages.maxSeq(conversationId),
        missed.at(-1)?.seq ?? 0,
      );
      return [{ type: 'ResyncRequired', latestSeq }];
    }
    return missed.map((message: Message) => ({ type: 'MessageAdded', message }));
  }
}

/**
 * Yields the backlog, then the live stream, dropping MessageAdded events whose seq was
 * already delivered. `return()` (the client unsubscribes) closes the live subscription first,
 * so a generator parked on the bus wakes up, and so does one that never started.
 */
function replayThenLive(
  backlog: readonly ConversationEvent[],
  live: EventStream<ConversationEvent>,
  onBroken: (error: unknown) => Promise<ConversationEvent>,
): AsyncIterableIterator<ConversationEvent> {
  const events = generate(backlog, live, onBroken);
  return {
    next: () => events.next(),
    return: async () => {
      await live.return();
      return events.return(undefined);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

async function* generate(
  backlog: readonly ConversationEvent[],
  live: EventStream<ConversationEvent>,
  onBroken: (error: unknown) => Promise<ConversationEvent>,
): AsyncGenerator<ConversationEvent, undefined> {
  const delivered = new SeqWindow(DEDUPE_WINDOW);
  try {
    for (const event of backlog) {
      if (event.type === 'MessageAdded') delivered.add(event.message.seq);
      yield event;
    }
    for (;;) {
      let next: IteratorResult<ConversationEvent>;
      try {
        next = await live.next();
      } catch (error) {
        yield await onBroken(error);
        return undefined;
      }
      if (next.done) return undefined;
      const event = next.value;
      if (event.type === 'MessageAdded') {
        if (delivered.has(event.message.seq)) continue;
        delivered.add(event.message.seq);
      }
      yield event;
    }
  } finally {
    await live.return();
  }
}

/**
 * The most recent `size` seqs delivered. A set rather than a high-water mark: across API
 * instances two sends may be announced out of seq order, and dropping the later-announced
 * lower seq would lose it.
 */
class SeqWindow {
  readonly #size: number;
  readonly #seqs = new Set<number>();

  constructor(size: number) {
    this.#size = size;
  }

  has(seq: number): boolean {
    return this.#seqs.has(seq);
  }

  add(seq: number): void {
    this.#seqs.add(seq);
    if (this.#seqs.size > this.#size) {
      // Sets iterate in insertion order: drop the oldest delivered.
      const oldest = this.#seqs.values().next();
      if (!oldest.done) this.#seqs.delete(oldest.value);
    }
  }
}
