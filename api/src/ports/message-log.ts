import type { Message } from '../domain/model.ts';

/** What the write path appends to the durable log, and the persistence worker applies. */
export type LogRecord =
  | { readonly type: 'message.created'; readonly message: Message }
  /** The final state of a message first logged as STREAMING (assistant replies). */
  | { readonly type: 'message.finalized'; readonly message: Message };

/**
 * The durable stream between the write path and the store (Kafka, or an in-process
 * group-commit queue when embedded). `append` resolves only once the record is durable.
 */
export interface MessageLog {
  append(record: LogRecord): Promise<void>;
  close(): Promise<void>;
}

/**
 * The consuming side, run by the persistence worker. The handler gets records in log
 * order per conversation; the consumer commits a batch only after the handler resolved,
 * and redelivers it (after backing off) when the handler throws.
 */
export interface MessageLogConsumer {
  start(handler: (records: readonly LogRecord[]) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}
