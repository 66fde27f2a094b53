import type { Metrics } from '../../metrics/metrics.ts';
import type { LogRecord, MessageLog } from '../../ports/message-log.ts';
import type { RedisOutbox } from '../redis/outbox.ts';
import type { BatchingProducer } from './batching-producer.ts';
import { encodeRecord } from './record-codec.ts';

/** Neither Kafka nor the outbox took the record: the send must fail (a retry is safe). */
export class MessageLogUnavailableError extends Error {
  constructor(cause: unknown) {
    super('message log unavailable: Kafka and its outage outbox both failed', { cause });
    this.name = 'MessageLogUnavailableError';
  }
}

export interface KafkaMessageLogOptions {
  readonly producer: BatchingProducer;
  /** The outage fallback; without it a failed produce fails the send. */
  readonly outbox: RedisOutbox | null;
  /** How long a produce may take before the record goes to the outbox (default 3 s). */
  readonly produceTimeoutMs?: number;
  readonly metrics: Pick<Metrics, 'countOutboxAppend'>;
  /** Told when Kafka fails and the log switches to the outbox. */
  readonly onError?: (error: unknown, context: string) => void;
  /** Runs once after `close()` flushed: disconnects what the log shares (producer, outbox). */
  readonly release?: () => Promise<void>;
}

/**
 * The distributed MessageLog: records go to Kafka (idempotent producer, acks=all, batched).
 * When a produce fails or times out, the record goes to the Redis outbox instead and the
 * append still succeeds; the log then keeps using the outbox, so that records stay in order,
 * until the drainer has emptied it and calls `resumeKafka()`.
 */
export class KafkaMessageLog implements MessageLog {
  readonly #producer: BatchingProducer;
  readonly #outbox: RedisOutbox | null;
  readonly #timeoutMs: number;
  readonly #metrics: Pick<Metrics, 'countOutboxAppend'>;
  readonly #onError: (error: unknown, context: string) => void;
  readonly #release: () => Promise<void>;
  #useOutbox = false;
  #closed = false;

  constructor(options: KafkaMessageLogOptions) {
    this.#producer = options.producer;
    this.#outbox = options.outbox;
    this.#timeoutMs = options.produceTimeoutMs ?? 3_000;
    this.#metrics = options.metrics;
    this.#onError = options.onError ?? (() => undefined);
    const release = options.release ?? (() => Promise.resolve());
    let released: Promise<void> | null = null;
    this.#release = () => {
      released ??= release();
      return released;
    };
  }

  /** True while appends go to the outbox. */
  get usingOutbox(): boolean {
    return this.#useOutbox;
  }

  async append(record: LogRecord): Promise<void> {
    if (this.#closed) throw new Error('message log is closed');
    const encoded = encodeRecord(record);
    if (!this.#useOutbox) {
      try {
        await this.#producer.send(encoded, this.#timeoutMs);
        return;
      } catch (error) {
        if (this.#outbox === null) throw new MessageLogUnavailableError(error);
        if (!this.#useOutbox) this.#onError(error, 'Kafka produce failed; switching to the outbox');
        this.#useOutbox = true;
      }
    }
    if (this.#outbox === null) throw new MessageLogUnavailableError(null);
    try {
      await this.#outbox.append([encoded]);
    } catch (error) {
      throw new MessageLogUnavailableError(error);
    }
    this.#metrics.countOutboxAppend();
  }

  /** The outbox is empty: produce to Kafka again. */
  resumeKafka(): void {
    this.#useOutbox = false;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#producer.flush();
    await this.#release();
  }
}
