import type { ConversationId } from '../../domain/model.ts';
import type { SeqLease, SeqLeaseStore } from '../../ports/seq-allocator.ts';
import type { MessageRepository } from '../../ports/store.ts';
import { isMongoCode, type Models, rawCollection, type SeqLeaseDoc } from './models.ts';

/** Generations kept per conversation after a change (older ones are pruned). */
const KEEP_GENERATIONS = 50;

type LeaseState = Pick<SeqLeaseDoc, 'generation' | 'ceiling' | 'untilMs' | 'dirty'>;

/**
 * The durable seq ceilings (collection `seq_leases`). Each change inserts the next
 * generation of a conversation's state, with `_id` = conversation/generation: of two
 * concurrent changes exactly one insert succeeds, and the other reads again and retries.
 * (FerretDB 1.x applies `$inc` and conditional updates non-atomically.)
 */
export class MongoSeqLeases implements SeqLeaseStore {
  readonly #models: Models;
  readonly #leases;
  readonly #messages: Pick<MessageRepository, 'maxSeq'>;

  constructor(models: Models, messages: Pick<MessageRepository, 'maxSeq'>) {
    this.#models = models;
    this.#leases = rawCollection(models.seqLeases);
    this.#messages = messages;
  }

  async grant(
    conversationId: ConversationId,
    current: number | null,
    block: number,
    untilMs: number,
  ): Promise<SeqLease> {
    let base = 0;
    let ceiling = 0;
    await this.#change(conversationId, (state) => {
      // After direct issues, or without a counter, start above everything ever granted.
      base = state.dirty || current === null ? Math.max(state.ceiling, current ?? 0) : current;
      ceiling = Math.max(state.ceiling, base + block);
      return { ceiling, dirty: false, untilMs: Math.max(state.untilMs, untilMs) };
    });
    return { base, ceiling, untilMs };
  }

  async issueDirect(
    conversationId: ConversationId,
  ): Promise<{ seq: number; leaseUntilMs: number }> {
    const next = await this.#change(conversationId, (state) => ({
      ceiling: state.ceiling + 1,
      dirty: true,
      untilMs: state.untilMs,
    }));
    return { seq: next.ceiling, leaseUntilMs: next.untilMs };
  }

  /** Inserts the generation after the latest, computed by `step`; retries when beaten to it. */
  async #change(
    conversationId: ConversationId,
    step: (state: LeaseState) => Omit<LeaseState, 'generation'>,
  ): Promise<LeaseState> {
    for (;;) {
      const state = await this.#latest(conversationId);
      const generation = state.generation + 1;
      const next: LeaseState = { ...step(state), generation };
      try {
        await this.#leases.insertOne({
          _id: `${conversationId}/${generation}`,
          conversationId,
          ...next,
        });
      } catch (error) {
        if (isMongoCode(error, 11000)) continue;
        throw error;
      }
      // A generation pruned while this change was computed could be inserted again from a
      // stale state; a newer generation then exists and this change must not count.
      if (
        await this.#models.seqLeases.exists({ conversationId, generation: { $gt: generation } })
      ) {
        await this.#leases.deleteOne({ _id: `${conversationId}/${generation}` });
        continue;
      }
      await this.#leases.deleteMany({
        conversationId,
        generation: { $lte: generation - KEEP_GENERATIONS },
      });
      return next;
    }
  }

  /** The latest state, or generation 0 at the store's highest seq for a new conversation. */
  async #latest(conversationId: ConversationId): Promise<LeaseState> {
    const [doc] = await this.#models.seqLeases
      .find({ conversationId })
      .sort({ generation: -1 })
      .limit(1)
      .lean<SeqLeaseDoc[]>();
    if (doc) return doc;
    return {
      generation: 0,
      ceiling: await this.#messages.maxSeq(conversationId),
      untilMs: 0,
      dirty: false,
    };
  }
}
