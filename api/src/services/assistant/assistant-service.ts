import { z } from 'zod';
import type { Conversation, Message, MessageId, UserId } from '../../domain/model.ts';
import { AssistantModelError, type ModelRequest } from '../../ports/assistant-model.ts';
import type { EventStream } from '../../ports/event-bus.ts';
import type { AssistantControlEvent } from '../../ports/events.ts';
import type { Adapters } from '../../ports/index.ts';
import { UniqueViolationError } from '../../ports/store.ts';
import type { SafeCache } from '../cache-reads.ts';
import { mergeBySeq } from '../cache-reads.ts';
import { badInput, DomainError, forbidden, notFound } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { enforceRateLimit } from '../rate-limits.ts';
import { parseInput } from '../validate.ts';
import { type AssistantOptions, NOT_CONFIGURED } from './options.ts';
import { buildSystemInstruction, buildTurns, isAssistantPrompt } from './prompt.ts';
import { ReplyControl, type StopReason } from './reply-control.ts';
import { LatestThrottle } from './throttle.ts';
import { msUntilNextUtcDay, TokenLedger } from './token-ledger.ts';

/** How a reply ended, before it becomes the stored message. */
interface Outcome {
  readonly status: 'COMPLETE' | 'FAILED' | 'CANCELLED';
  readonly body: string;
  readonly error: string | null;
}

/** A reply streaming in this process. */
interface ActiveReply {
  readonly conversation: Conversation;
  readonly control: ReplyControl;
  /** Resolves with the reply's final state once it is announced and logged. */
  readonly settled: Promise<Message>;
}

const messageIdInput = z.string().min(1).max(64);

/** Replies kept after settling, so a late cancel answers without a store round trip. */
const RECENT_LIMIT = 256;

const STOP_REASONS: Record<
  Exclude<StopReason, 'cancelled'>,
  (options: AssistantOptions) => string
> = {
  'idle-timeout': (o) => `the assistant timed out (no response for ${seconds(o.idleTimeoutMs)})`,
  'max-duration': (o) => `the assistant timed out (reply took over ${seconds(o.maxReplyMs)})`,
  shutdown: () => 'the server stopped before the reply finished',
};

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** Where the send path meets the assistant: admission before a send, the trigger after it. */
export interface PromptHook {
  admit(senderId: UserId, body: string): Promise<void>;
  onSent(message: Message, conversation: Conversation): void;
}

/**
 * Parley's assistant: answers `/ai` messages with a streamed ASSISTANT reply, lets any member
 * cancel it, enforces the per-user rate limit and daily token budget, and fails replies that
 * a crashed instance left STREAMING.
 */
export class AssistantService implements PromptHook {
  readonly #adapters: Adapters;
  readonly #cache: SafeCache;
  readonly #ledger: TokenLedger;
  readonly #logger: Logger;
  readonly #options: AssistantOptions;
  readonly #active = new Map<MessageId, ActiveReply>();
  readonly #recent = new Map<MessageId, { message: Message; conversation: Conversation }>();
  readonly #tasks = new Set<Promise<void>>();
  #sweepTimer: NodeJS.Timeout | null = null;
  #sweeping: Promise<unknown> = Promise.resolve();
  #stopping = false;

  constructor(adapters: Adapters, cache: SafeCache, logger: Logger, options: AssistantOptions) {
    this.#adapters = adapters;
    this.#cache = cache;
    this.#ledger = new TokenLedger(adapters.limiter, adapters.clock);
    this.#logger = logger;
    this.#options = options;
  }

  /** The deployment's assistant user id (the sender of every reply). */
  get userId(): UserId {
    return this.#options.userId;
  }

  /** Creates the assistant user when missing and starts the sweep of orphaned replies. */
  async start(): Promise<void> {
    this.#stopping = false;
    await this.#ensureUser();
    this.#sweepTimer ??= setInterval(() => {
      this.#sweeping = this.sweep().catch((error: unknown) => {
        this.#logger.error({ err: error }, 'assistant sweep failed');
      });
    }, this.#options.sweepIntervalMs);
  }

  /** Stops the sweep and fails the replies still streaming here, waiting until they are logged. */
  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#sweepTimer !== null) clearInterval(this.#sweepTimer);
    this.#sweepTimer = null;
    for (const reply of this.#active.values()) reply.control.stop('shutdown');
    await Promise.all([...this.#tasks, this.#sweeping]);
  }

  /**
   * Admission for a message about to be sent: RATE_LIMITED when the sender asks the assistant
   * too often or has used up today's token budget. Other messages pass untouched.
   */
  async admit(senderId: UserId, body: string): Promise<void> {
    if (!isAssistantPrompt(body)) return;
    await enforceRateLimit(
      this.#adapters.limiter,
      `assistant:${senderId}`,
      this.#options.rateLimit,
    );
    const spent = await this.#ledger.spentToday(senderId);
    if (spent >= this.#options.dailyTokenBudget) {
      throw new DomainError('RATE_LIMITED', "Today's assistant token budget is used up", {
        retryAfter: Math.ceil(msUntilNextUtcDay(this.#adapters.clock.now()) / 1000),
      });
    }
  }

  /**
   * Called once a message is sent and durable: when it asks the assistant, starts the reply in
   * the background. Never blocks or fails the send; the reply outlives the sender's connection.
   */
  onSent(prompt: Message, conversation: Conversation): void {
    if (prompt.kind !== 'USER' || !isAssistantPrompt(prompt.body)) return;
    if (this.#stopping) {
      this.#logger.warn({ messageId: prompt.id }, 'assistant stopping: prompt left unanswered');
      return;
    }
    const task = this.#reply(prompt, conversation).catch((error: unknown) => {
      this.#logger.error({ err: error, promptId: prompt.id }, 'assistant reply crashed');
    });
    this.#tasks.add(task);
    void task.finally(() => this.#tasks.delete(task));
  }

  /**
   * Cancels a streaming reply for any member of its conversation: the upstream request is
   * aborted and the reply ends CANCELLED with the text so far. A reply already over is
   * returned as it is.
   */
  async cancel(viewerId: UserId, messageIdValue: unknown): Promise<Message> {
    const messageId = parseInput(messageIdInput, messageIdValue);
    const active = this.#active.get(messageId);
    if (active) {
      requireMember(active.conversation, viewerId);
      active.control.stop('cancelled');
      return active.settled;
    }
    const recent = this.#recent.get(messageId);
    if (recent) {
      requireMember(recent.conversation, viewerId);
      return recent.message;
    }
    const stored = await this.#adapters.store.messages.findById(messageId);
    if (stored) {
      const conversation = await this.#adapters.store.conversations.findById(stored.conversationId);
      if (!conversation) throw notFound('Message');
      requireMember(conversation, viewerId);
      if (stored.kind !== 'ASSISTANT') throw badInput('Only assistant replies can be cancelled');
      if (stored.status !== 'STREAMING') return stored;
    }
    // Streaming on another instance, or too new to be stored yet: ask whoever streams it.
    const answer = await this.#askOwner(messageId, viewerId);
    if (answer?.type === 'Settled') return answer.message;
    if (answer?.type === 'Refused') throw forbidden('You are not a member of this conversation');
    if (!stored) throw notFound('Message');
    // Nobody streams it any more: its instance died. End it now rather than at the sweep.
    return this.#finalizeOrphan(stored, { status: 'CANCELLED', body: stored.body, error: null });
  }

  /** Fails the STREAMING replies older than the stale bound that no instance streams. */
  async sweep(): Promise<number> {
    const olderThan = new Date(this.#adapters.clock.now().getTime() - this.#options.staleAfterMs);
    const stale = await this.#adapters.store.messages.listStaleStreaming(olderThan, 100);
    let failed = 0;
    for (const message of stale) {
      if (this.#active.has(message.id)) continue;
      await this.#finalizeOrphan(message, {
        status: 'FAILED',
        body: message.body,
        error: 'the reply was interrupted (its server stopped)',
      });
      failed++;
    }
    return failed;
  }

  async #ensureUser(): Promise<void> {
    const { store, clock } = this.#adapters;
    if (await store.users.findById(this.#options.userId)) return;
    try {
      await store.users.create({
        id: this.#options.userId,
        email: `${this.#options.userId}@assistant.parley.invalid`,
        name: this.#options.name,
        // Not a scrypt hash, so no password ever matches it.
        passwordHash: '!',
        createdAt: clock.now(),
      });
    } catch (error) {
      // Another instance created it first.
      if (!(error instanceof UniqueViolationError)) throw error;
      if (!(await store.users.findById(this.#options.userId))) throw error;
    }
  }

  async #reply(prompt: Message, conversation: Conversation): Promise<void> {
    const { seq, clock, ids, log } = this.#adapters;
    const now = clock.now();
    const reply: Message = {
      id: ids.next(),
      conversationId: conversation.id,
      seq: await seq.next(conversation.id),
      // Derived from the prompt, so concurrent retries of one `/ai` send (on any instance)
      // claim the same key and only the first starts a reply.
      clientId: `assistant:${prompt.id}`,
      senderId: this.#options.userId,
      kind: 'ASSISTANT',
      body: '',
      status: 'STREAMING',
      error: null,
      createdAt: now,
      updatedAt: now,
    };
    if (await this.#adapters.clientIds.claim(reply)) return;
    const control = new ReplyControl(this.#options.idleTimeoutMs, this.#options.maxReplyMs);
    const settled = Promise.withResolvers<Message>();
    // Late cancels wait on this; a crash rejects it and they get a masked error.
    settled.promise.catch(() => undefined);
    this.#active.set(reply.id, { conversation, control, settled: settled.promise });
    const controlChannel = this.#listenForCancel(reply, conversation, control, settled.promise);
    try {
      await this.#cache.put(reply);
      await this.#announce(reply, conversation, 'MessageAdded');
      // Logged STREAMING first, so a crash leaves a row for the sweep to fail.
      const created = log.append({ type: 'message.created', message: reply }).then(
        () => true,
        (error: unknown) => {
          this.#logger.error({ err: error, messageId: reply.id }, 'assistant reply not logged');
          return false;
        },
      );
      const outcome = await this.#generate(prompt, reply, conversation, control);
      const final: Message = { ...reply, ...outcome, updatedAt: clock.now() };
      await this.#settle(final, conversation, await created);
      this.#remember(final, conversation);
      settled.resolve(final);
    } catch (error) {
      settled.reject(error);
      throw error;
    } finally {
      control.dispose();
      this.#active.delete(reply.id);
      await (await controlChannel)?.return();
    }
  }

  /** Streams the model's answer into throttled updates and says how the reply ended. */
  async #generate(
    prompt: Message,
    reply: Message,
    conversation: Conversation,
    control: ReplyControl,
  ): Promise<Outcome> {
    const model = this.#adapters.assistantModel;
    if (model === null) return { status: 'FAILED', body: '', error: NOT_CONFIGURED };
    const updates = new LatestThrottle<string>(this.#options.updateIntervalMs, (body) =>
      this.#announce(
        { ...reply, body, updatedAt: this.#adapters.clock.now() },
        conversation,
        'MessageUpdated',
      ),
    );
    let body = '';
    let tokens = 0;
    try {
      control.touch();
      const request = await this.#request(prompt, reply, conversation, control.signal);
      for await (const chunk of model.stream(request)) {
        control.touch();
        if (chunk.type === 'usage') {
          tokens = chunk.totalTokens;
        } else {
          body += chunk.text;
          updates.offer(body);
        }
      }
      if (body.trim() === '')
        return { status: 'FAILED', body, error: 'the model sent an empty reply' };
      return { status: 'COMPLETE', body, error: null };
    } catch (error) {
      const reason = control.reason;
      if (reason === 'cancelled') return { status: 'CANCELLED', body, error: null };
      if (reason !== null)
        return { status: 'FAILED', body, error: STOP_REASONS[reason](this.#options) };
      if (error instanceof AssistantModelError)
        return { status: 'FAILED', body, error: error.message };
      this.#logger.error({ err: error, messageId: reply.id }, 'assistant model failed');
      return { status: 'FAILED', body, error: 'the assistant failed unexpectedly' };
    } finally {
      await updates.close();
      await this.#charge(prompt.senderId, tokens);
    }
  }

  /** The model request: the system instruction and the recent history up to the prompt. */
  async #request(
    prompt: Message,
    reply: Message,
    conversation: Conversation,
    signal: AbortSignal,
  ): Promise<ModelRequest> {
    const { store } = this.#adapters;
    const limit = this.#options.contextMessages;
    const [history, members] = await Promise.all([
      this.#recentMessages(conversation, reply.seq, limit),
      store.users.findByIds(conversation.memberIds),
    ]);
    const names = new Map(members.map((member) => [member.id, member.name]));
    const settings = {
      assistantUserId: this.#options.userId,
      assistantName: this.#options.name,
      systemInstruction: this.#options.systemInstruction,
      maxChars: this.#options.contextChars,
    };
    // The prompt may be in neither the store nor a failed cache yet: it is always included.
    const messages = mergeBySeq([prompt], history).slice(-limit);
    return {
      systemInstruction: buildSystemInstruction(conversation, members, settings),
      turns: buildTurns(messages, names, settings),
      signal,
    };
  }

  /** Up to `limit` messages before `beforeSeq`, from the cache window or the store plus tail. */
  async #recentMessages(
    conversation: Conversation,
    beforeSeq: number,
    limit: number,
  ): Promise<Message[]> {
    const cached = await this.#cache.listBefore(conversation.id, beforeSeq, limit);
    if (cached) return cached;
    const stored = await this.#adapters.store.messages.listBefore(
      conversation.id,
      beforeSeq,
      limit,
    );
    const tail = await this.#cache.listAfter(conversation.id, stored.at(-1)?.seq ?? 0);
    return mergeBySeq(
      stored,
      tail.filter((message) => message.seq < beforeSeq),
    ).slice(-limit);
  }

  async #charge(userId: UserId | null, tokens: number): Promise<void> {
    if (userId === null || tokens <= 0) return;
    try {
      await this.#ledger.add(userId, tokens);
    } catch (error) {
      this.#logger.error({ err: error, userId, tokens }, 'assistant tokens not counted');
    }
  }

  /** Announces the final state, then logs it (as a whole message if the STREAMING row never was). */
  async #settle(final: Message, conversation: Conversation, createdLogged: boolean): Promise<void> {
    await this.#cache.put(final);
    await this.#announce(final, conversation, 'MessageUpdated');
    await this.#activity(final, conversation);
    try {
      await this.#adapters.log.append({
        type: createdLogged ? 'message.finalized' : 'message.created',
        message: final,
      });
    } catch (error) {
      // The stored row stays STREAMING; the sweep fails it later.
      this.#logger.error({ err: error, messageId: final.id }, 'assistant reply end not logged');
    }
  }

  /** Ends a reply that no instance streams any more. */
  async #finalizeOrphan(message: Message, outcome: Outcome): Promise<Message> {
    const final: Message = { ...message, ...outcome, updatedAt: this.#adapters.clock.now() };
    const conversation = await this.#adapters.store.conversations.findById(message.conversationId);
    await this.#cache.put(final);
    if (conversation) {
      await this.#announce(final, conversation, 'MessageUpdated');
      await this.#activity(final, conversation);
    }
    await this.#adapters.log.append({ type: 'message.finalized', message: final });
    return final;
  }

  /** Publishes a conversation event; a bus failure loses the event, never the reply. */
  async #announce(
    message: Message,
    conversation: Conversation,
    type: 'MessageAdded' | 'MessageUpdated',
  ): Promise<void> {
    try {
      await this.#adapters.bus.publish('conversation:event', conversation.id, { type, message });
      if (type === 'MessageAdded') await this.#activity(message, conversation);
    } catch (error) {
      this.#logger.warn(
        { err: error, messageId: message.id, type },
        'assistant event not published',
      );
    }
  }

  async #activity(message: Message, conversation: Conversation): Promise<void> {
    try {
      await Promise.all(
        conversation.memberIds.map((memberId) =>
          this.#adapters.bus.publish('inbox:event', memberId, {
            type: 'ConversationActivity',
            conversationId: conversation.id,
            message,
          }),
        ),
      );
    } catch (error) {
      this.#logger.warn({ err: error, messageId: message.id }, 'assistant activity not published');
    }
  }

  /**
   * Answers cancels sent by other instances for a reply streaming here. Null when the bus
   * cannot subscribe: cancels then work only on this instance.
   */
  async #listenForCancel(
    reply: Message,
    conversation: Conversation,
    control: ReplyControl,
    settled: Promise<Message>,
  ): Promise<EventStream<AssistantControlEvent> | null> {
    const { bus } = this.#adapters;
    let stream: EventStream<AssistantControlEvent>;
    try {
      stream = await bus.subscribe('assistant:control', reply.id);
    } catch (error) {
      this.#logger.warn(
        { err: error, messageId: reply.id },
        'assistant cancel channel unavailable',
      );
      return null;
    }
    const answer = async (event: AssistantControlEvent): Promise<void> => {
      if (event.type !== 'CancelRequested') return;
      if (!conversation.memberIds.includes(event.requestedBy)) {
        await bus.publish('assistant:control', reply.id, {
          type: 'Refused',
          requestedBy: event.requestedBy,
        });
        return;
      }
      control.stop('cancelled');
      await bus.publish('assistant:control', reply.id, { type: 'Settled', message: await settled });
    };
    void (async () => {
      for await (const event of stream) {
        answer(event).catch((error: unknown) => {
          this.#logger.warn({ err: error, messageId: reply.id }, 'assistant cancel not answered');
        });
      }
    })().catch((error: unknown) => {
      this.#logger.warn({ err: error, messageId: reply.id }, 'assistant cancel channel failed');
    });
    return stream;
  }

  /** Asks the instance streaming `messageId` to cancel it; null when none answers in time. */
  async #askOwner(
    messageId: MessageId,
    viewerId: UserId,
  ): Promise<Exclude<AssistantControlEvent, { type: 'CancelRequested' }> | null> {
    const { bus } = this.#adapters;
    let stream: EventStream<AssistantControlEvent>;
    try {
      stream = await bus.subscribe('assistant:control', messageId);
    } catch (error) {
      this.#logger.warn({ err: error, messageId }, 'assistant cancel channel unavailable');
      return null;
    }
    const timeout = Promise.withResolvers<null>();
    const timer = setTimeout(() => timeout.resolve(null), this.#options.cancelWaitMs);
    try {
      await bus.publish('assistant:control', messageId, {
        type: 'CancelRequested',
        requestedBy: viewerId,
      });
      while (true) {
        const next = await Promise.race([stream.next(), timeout.promise]);
        if (next === null || next.done) return null;
        const event = next.value;
        if (event.type === 'Settled') return event;
        if (event.type === 'Refused' && event.requestedBy === viewerId) return event;
      }
    } finally {
      clearTimeout(timer);
      await stream.return();
    }
  }

  #remember(message: Message, conversation: Conversation): void {
    this.#recent.set(message.id, { message, conversation });
    if (this.#recent.size > RECENT_LIMIT) {
      const oldest = this.#recent.keys().next();
      if (!oldest.done) this.#recent.delete(oldest.value);
    }
  }
}

function requireMember(conversation: Conversation, viewerId: UserId): void {
  if (!conversation.memberIds.includes(viewerId)) {
    throw forbidden('You are not a member of this conversation');
  }
}
