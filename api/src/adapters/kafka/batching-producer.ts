import type { Message as KafkaMessage, Producer } from 'kafkajs';
import type { EncodedRecord } from './record-codec.ts';

export interface BatchingProducerOptions {
  readonly producer: Producer;
  readonly topic: string;
  /** How long a lone record waits for company before it is sent (default 5 ms). */
  readonly lingerMs?: number;
  /** Records per produce request (default 500). */
  readonly maxBatch?: number;
}

/** Kafka did not acknowledge in time. */
export class ProduceTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`Kafka did not acknowledge the record within ${timeoutMs} ms`);
    this.name = 'ProduceTimeoutError';
  }
}

interface Pending {
  readonly record: EncodedRecord;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Group commit for Kafka: records appended while a produce request is being prepared or is
 * in flight share the next request. With one request in flight (the idempotent producer's
 * ordering guarantee) throughput comes from batch size, not parallel requests.
 */
export class BatchingProducer {
  readonly #producer: Producer;
  readonly #topic: string;
  readonly #lingerMs: number;
  readonly #maxBatch: number;
  readonly #queue: Pending[] = [];
  #flushing: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;

  constructor(options: BatchingProducerOptions) {
    this.#producer = options.producer;
    this.#topic = options.topic;
    this.#lingerMs = options.lingerMs ?? 5;
    this.#maxBatch = options.maxBatch ?? 500;
  }

  /**
   * Resolves once every in-sync replica has the record (acks=all). Rejects after
   * `timeoutMs`; a record still queued then is withdrawn, one already in flight may still
   * land (a duplicate the store absorbs, should the caller write it elsewhere too).
   */
  send(record: EncodedRecord, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.#queue.indexOf(pending);
        if (index >= 0) this.#queue.splice(index, 1);
        reject(new ProduceTimeoutError(timeoutMs));
      }, timeoutMs);
      const pending: Pending = {
        record,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.#queue.push(pending);
      this.#schedule();
    });
  }

  /** Sends records as one request, bypassing the queue (the outbox drainer). */
  async sendNow(records: readonly EncodedRecord[]): Promise<void> {
    await this.#producer.send({
      topic: this.#topic,
      acks: -1,
      messages: records.map(toKafkaMessage),
    });
  }

  /** Waits for queued records to be sent (or fail). */
  async flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    while (this.#queue.length > 0 || this.#flushing) {
      if (!this.#flushing) this.#flushing = this.#drain();
      await this.#flushing;
    }
  }

  #schedule(): void {
    if (this.#flushing || this.#timer) return;
    if (this.#queue.length >= this.#maxBatch) {
      this.#flushing = this.#drain();
      return;
    }
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (!this.#flushing) this.#flushing = this.#drain();
    }, this.#lingerMs);
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, this.#maxBatch);
        try {
          await this.#producer.send({
            topic: this.#topic,
            acks: -1,
            messages: batch.map((pending) => toKafkaMessage(pending.record)),
          });
          for (const pending of batch) pending.resolve();
        } catch (error) {
          for (const pending of batch) pending.reject(error);
        }
      }
    } finally {
      this.#flushing = null;
    }
  }
}

function toKafkaMessage(record: EncodedRecord): KafkaMessage {
  return { key: record.key, value: record.value };
}
