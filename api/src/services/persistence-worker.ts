import type { ConversationId, Message } from '../domain/model.ts';
import type { LogRecord } from '../ports/message-log.ts';
import type { Store } from '../ports/store.ts';
import type { Logger } from './logger.ts';

/** What one applied batch did, for logs and metrics. */
export interface AppliedBatch {
  readonly inserted: number;
  readonly duplicates: number;
  readonly finalized: number;
}

/**
 * Applies durable-log batches to the store. Every step is idempotent, so a batch redelivered
 * after a crash or a failed write is absorbed. Whoever consumes the log (the embedded queue or
 * Kafka) calls `apply` and commits only after it resolved.
 */
export class PersistenceWorker {
  readonly #store: Store;
  readonly #logger: Logger;

  constructor(store: Store, logger: Logger) {
    this.#store = store;
    this.#logger = logger;
  }

  /** Writes one batch: a bulk insert of new messages, then finals, then activity times. */
  async apply(records: readonly LogRecord[]): Promise<AppliedBatch> {
    const created: Message[] = [];
    const finalized: Message[] = [];
    const activity = new Map<ConversationId, Date>();
    for (const record of records) {
      if (record.type === 'message.created') created.push(record.message);
      else finalized.push(record.message);
      const { conversationId, createdAt } = record.message;
      const seen = activity.get(conversationId);
      if (!seen || seen < createdAt) activity.set(conversationId, createdAt);
    }
    const { inserted, duplicates } =
      created.length > 0
        ? await this.#store.messages.insertMany(created)
        : { inserted: 0, duplicates: 0 };
    // In log order, so a message created and finalized in one batch ends final.
    for (const message of finalized) await this.#store.messages.finalize(message);
    await Promise.all(
      [...activity].map(([conversationId, at]) =>
        this.#store.conversations.touch(conversationId, at),
      ),
    );
    if (duplicates > 0) this.#logger.info({ duplicates }, 'replayed messages already stored');
    return { inserted, duplicates, finalized: finalized.length };
  }
}
