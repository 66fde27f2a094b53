import type { ConversationId } from '../../domain/model.ts';
import type { SeqFloorSource, SeqLease, SeqLeaseStore } from '../../ports/seq-allocator.ts';

/**
 * Lease store for a deployment without a shared durable lease record (Redis with the
 * embedded store): a lost counter re-seeds at the store's highest seq plus `margin`, which
 * must exceed the messages that can be in flight (sent but not yet stored). It cannot issue
 * seqs while Redis is unreachable.
 */
export class StoreFloorLeases implements SeqLeaseStore {
  readonly #floor: SeqFloorSource;
  readonly #margin: number;

  constructor(floor: SeqFloorSource, margin = 10_000) {
    this.#floor = floor;
    this.#margin = margin;
  }

  async grant(
    conversationId: ConversationId,
    current: number | null,
    block: number,
    untilMs: number,
  ): Promise<SeqLease> {
    const base = current ?? (await this.#floor(conversationId)) + this.#margin;
    return { base, ceiling: base + block, untilMs };
  }

  issueDirect(conversationId: ConversationId): Promise<{ seq: number; leaseUntilMs: number }> {
    return Promise.reject(
      new Error(`cannot allocate a seq for ${conversationId}: Redis is unreachable`),
    );
  }
}
