import { z } from 'zod';
import type { Conversation, ConversationId, Message, ReadMark, UserId } from '../domain/model.ts';
import type { Adapters } from '../ports/index.ts';
import { type ConversationPage, UniqueViolationError } from '../ports/store.ts';
import type { SafeCache } from './cache-reads.ts';
import { badInput, forbidden, notFound } from './errors.ts';
import { parseInput } from './validate.ts';

const id = z.string().min(1).max(64);
const groupInput = z.object({
  title: z.string().trim().min(1).max(100),
  memberIds: z.array(id).max(1000),
});
const pageInput = z.object({
  first: z.number().int().min(1).max(100),
  after: z.string().min(1).max(512).nullish(),
});
const markReadInput = z.object({ conversationId: id, seq: z.number().int().min(0) });

/** Conversation settings taken from config. */
export interface ConversationOptions {
  /** Largest group, creator included. */
  readonly maxGroupMembers: number;
}

/** Direct and group conversations, membership checks and read marks. */
export class ConversationService {
  readonly #adapters: Adapters;
  readonly #cache: SafeCache;
  readonly #options: ConversationOptions;

  constructor(adapters: Adapters, cache: SafeCache, options: ConversationOptions) {
    this.#adapters = adapters;
    this.#cache = cache;
    this.#options = options;
  }

  /**
   * The conversation, if `viewerId` is a member. NOT_FOUND when it does not exist, FORBIDDEN
   * when it does but the viewer is not in it; either way no data is returned.
   */
  async requireMember(viewerId: UserId, conversationId: unknown): Promise<Conversation> {
    const conversation = await this.#adapters.store.conversations.findById(
      parseInput(id, conversationId),
    );
    if (!conversation) throw notFound('Conversation');
    if (!conversation.memberIds.includes(viewerId)) {
      throw forbidden('You are not a member of this conversation');
    }
    return conversation;
  }

  /** The one direct conversation between the viewer and `userId`, created on first use. */
  async openDirect(viewerId: UserId, userId: unknown): Promise<Conversation> {
    const otherId = parseInput(id, userId);
    if (otherId === viewerId) throw badInput('You cannot open a conversation with yourself');
    const { store, clock, ids } = this.#adapters;
    if (!(await store.users.findById(otherId))) throw notFound('User');
    const memberIds = [viewerId, otherId].sort();
    const directKey = memberIds.join(':');
    const existing = await store.conversations.findByDirectKey(directKey);
    if (existing) return existing;
    const now = clock.now();
    const conversation: Conversation = {
      id: ids.next(),
      kind: 'DIRECT',
      title: null,
      memberIds,
      directKey,
      createdAt: now,
      lastActivityAt: now,
    };
    try {
      await store.conversations.create(conversation);
    } catch (error) {
      // A concurrent open of the same pair won the unique index: use its conversation.
      if (!(error instanceof UniqueViolationError)) throw error;
      const winner = await store.conversations.findByDirectKey(directKey);
      if (!winner) throw error;
      return winner;
    }
    await this.#announce(conversation);
    return conversation;
  }

  /** A new group of the viewer and `memberIds` (every one must exist). */
  async createGroup(viewerId: UserId, input: unknown): Promise<Conversation> {
    const data = parseInput(groupInput, input);
    const memberIds = [...new Set([viewerId, ...data.memberIds])];
    if (memberIds.length > this.#options.maxGroupMembers) {
      throw badInput(`A group has at most ${this.#options.maxGroupMembers} members`);
    }
    const { store, clock, ids } = this.#adapters;
    const found = await store.users.findByIds(memberIds);
    if (found.length !== memberIds.length) throw notFound('User');
    const now = clock.now();
    const conversation: Conversation = {
      id: ids.next(),
      kind: 'GROUP',
      title: data.title,
      memberIds,
      directKey: null,
      createdAt: now,
      lastActivityAt: now,
    };
    await store.conversations.create(conversation);
    await this.#announce(conversation);
    return conversation;
  }

  /** The viewer's conversations, most recent activity first. */
  list(viewerId: UserId, first: unknown, after: unknown): Promise<ConversationPage> {
    const page = parseInput(pageInput, { first, after });
    return this.#adapters.store.conversations.listForMember(
      viewerId,
      page.first,
      page.after ?? null,
    );
  }

  /** Opaque cursor of a conversation in `list`. */
  cursorOf(conversation: Conversation): string {
    return this.#adapters.store.conversations.cursorOf(conversation);
  }

  /** Conversations by id in the order asked, null for unknown ids (loader batch). */
  getMany(idsToLoad: readonly ConversationId[]): Promise<(Conversation | null)[]> {
    return Promise.all(idsToLoad.map((cid) => this.#adapters.store.conversations.findById(cid)));
  }

  /** The newest message, from the cache window when it holds it. */
  async lastMessage(conversationId: ConversationId): Promise<Message | null> {
    const cached = await this.#cache.listBefore(conversationId, null, 1);
    if (cached) return cached.at(-1) ?? null;
    const stored = await this.#adapters.store.messages.listBefore(conversationId, null, 1);
    return stored.at(-1) ?? null;
  }

  /** The highest seq issued so far that anyone could have seen (0 when empty). */
  async latestSeq(conversationId: ConversationId): Promise<number> {
    const [last, storedMax] = await Promise.all([
      this.lastMessage(conversationId),
      this.#adapters.store.messages.maxSeq(conversationId),
    ]);
    return Math.max(last?.seq ?? 0, storedMax);
  }

  /** The reader's mark: every message with seq ≤ it counts as read. */
  lastReadSeq(conversationId: ConversationId, readerId: UserId): Promise<number> {
    return this.#adapters.store.readMarks.get(conversationId, readerId);
  }

  /**
   * Every current member's read mark (members who have read nothing have none), for
   * members only: receipts for a conversation opened after the others read it.
   */
  async readMarks(viewerId: UserId, conversation: Conversation): Promise<ReadMark[]> {
    if (!conversation.memberIds.includes(viewerId)) {
      throw forbidden('You are not a member of this conversation');
    }
    const marks = await this.#adapters.store.readMarks.listForConversation(conversation.id);
    return marks.filter((mark) => conversation.memberIds.includes(mark.userId));
  }

  /** Other people's messages above the reader's mark, including ones not yet persisted. */
  async unreadCount(conversationId: ConversationId, readerId: UserId): Promise<number> {
    const { messages, readMarks } = this.#adapters.store;
    const mark = await readMarks.get(conversationId, readerId);
    // Count the store first, then look at its tip: a message persisted in between is then
    // missed for this one read rather than counted twice.
    const stored = await messages.countUnread(conversationId, readerId, mark);
    const storedMax = await messages.maxSeq(conversationId);
    const inFlight = await this.#cache.listAfter(conversationId, Math.max(mark, storedMax));
    return stored + inFlight.filter((message) => message.senderId !== readerId).length;
  }

  /**
   * Moves the viewer's read mark forward (never back, never past the newest message) and tells
   * the members with `ReadUpTo` when it moved.
   */
  async markRead(viewerId: UserId, conversationId: unknown, seq: unknown): Promise<Conversation> {
    const input = parseInput(markReadInput, { conversationId, seq });
    const conversation = await this.requireMember(viewerId, input.conversationId);
    const { store, bus } = this.#adapters;
    const target = Math.min(input.seq, await this.latestSeq(conversation.id));
    const before = await store.readMarks.get(conversation.id, viewerId);
    if (target <= before) return conversation;
    const stored = await store.readMarks.advance({
      conversationId: conversation.id,
      userId: viewerId,
      seq: target,
    });
    if (stored > before) {
      await bus.publish('conversation:event', conversation.id, {
        type: 'ReadUpTo',
        userId: viewerId,
        seq: stored,
      });
    }
    return conversation;
  }

  /** Tells every member's inbox that the conversation exists, so their lists update live. */
  async #announce(conversation: Conversation): Promise<void> {
    await Promise.all(
      conversation.memberIds.map((memberId) =>
        this.#adapters.bus.publish('inbox:event', memberId, {
          type: 'ConversationActivity',
          conversationId: conversation.id,
          message: null,
        }),
      ),
    );
  }
}
