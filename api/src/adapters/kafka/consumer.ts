import {
  type Consumer,
  type EachBatchPayload,
  type Kafka,
  type KafkaMessage,
  Partitioners,
  type Producer,
} from 'kafkajs';
import type { Metrics } from '../../metrics/metrics.ts';
import type { LogRecord, MessageLogConsumer } from '../../ports/message-log.ts';
import { sendToDeadLetters } from './dead-letters.ts';
import { decodeRecord, PoisonRecordError } from './record-codec.ts';
import { whileTopicPropagates } from './topics.ts';

export interface KafkaMessageLogConsumerOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  readonly deadLetterTopic: string;
  readonly groupId: string;
  /** Default 30 s: how long a silent member keeps its partitions. */
  readonly sessionTimeoutMs?: number;
  /** A write taking longer counts as failed and is retried (default 60 s; it is idempotent). */
  readonly handlerTimeoutMs?: number;
  /** First delay after a failed write, doubled per attempt up to `retryMaxMs`. */
  readonly retryInitialMs?: number;
  readonly retryMaxMs?: number;
  readonly metrics: Pick<
    Metrics,
    'observeBatch' | 'observePersisted' | 'setConsumerLag' | 'countDeadLetter'
  >;
  /** Told about every failed write before it is retried. */
  readonly onError?: (error: unknown, context: string) => void;
}

/**
 * The persistence worker's side of Kafka: a consumer group reading with `eachBatch` and no
 * auto-resolve. Each partition batch goes to the handler as one call (one bulk write); its
 * offset is resolved and committed only after the handler succeeded. While the handler
 * fails the partition is paused and the batch retried with backoff, committing nothing.
 * Poison records go to the dead-letter topic, with a reason header, and count as handled.
 */
export class KafkaMessageLogConsumer implements MessageLogConsumer {
  readonly #options: KafkaMessageLogConsumerOptions;
  #consumer: Consumer | null = null;
  /** Produces poison records to the dead-letter topic; lives from start to stop. */
  #producer: Producer | null = null;
  #stopping = false;
  readonly #sleepers = new Set<() => void>();

  constructor(options: KafkaMessageLogConsumerOptions) {
    this.#options = options;
  }

  async start(handler: (records: readonly LogRecord[]) => Promise<void>): Promise<void> {
    if (this.#consumer) throw new Error('message log consumer is already started');
    const { kafka, topic, groupId } = this.#options;
    const consumer = kafka.consumer({
      groupId,
      sessionTimeout: this.#options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: Math.min(
        3_000,
        Math.floor((this.#options.sessionTimeoutMs ?? 30_000) / 3),
      ),
      // A fetch returns as soon as records arrive; an idle one comes back after this, which
      // bounds how long a pause or stop waits on it.
      maxWaitTimeInMs: 500,
    });
    this.#consumer = consumer;
    this.#stopping = false;
    const producer = kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    this.#producer = producer;
    await Promise.all([consumer.connect(), producer.connect()]);
    // A new group starts at the beginning: nothing produced before it existed is skipped.
    await whileTopicPropagates(() => consumer.subscribe({ topics: [topic], fromBeginning: true }));
    await consumer.run({
      eachBatchAutoResolve: false,
      autoCommit: true,
      // Commit whenever an offset was resolved, i.e. after every successful write.
      autoCommitThreshold: 1,
      partitionsConsumedConcurrently: 3,
      eachBatch: (payload) => this.#eachBatch(payload, handler),
    });
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    for (const wake of [...this.#sleepers]) wake();
    const consumer = this.#consumer;
    const producer = this.#producer;
    this.#consumer = null;
    this.#producer = null;
    await consumer?.disconnect();
    await producer?.disconnect();
  }

  async #eachBatch(
    payload: EachBatchPayload,
    handler: (records: readonly LogRecord[]) => Promise<void>,
  ): Promise<void> {
    const { batch } = payload;
    const { metrics } = this.#options;
    const last = batch.messages.at(-1);
    if (last === undefined) return;
    const records = await this.#decode(batch.partition, batch.messages);

    let attempt = 0;
    let resume: (() => void) | null = null;
    try {
      for (;;) {
        if (this.#stopping || !payload.isRunning() || payload.isStale()) return;
        try {
          if (records.length > 0) await this.#withTimeout(handler(records));
          break;
        } catch (error) {
          attempt += 1;
          this.#options.onError?.(
            error,
            `persisting a batch failed (attempt ${attempt}); retrying`,
          );
          // No further fetches for this partition while the store is failing.
          resume ??= payload.pause();
          await this.#backOff(this.#backoff(attempt), payload);
        }
      }
    } finally {
      // Also after a rebalance cut the retries short: a partition left paused would never
      // be fetched again; unresolved, its batch is fetched anew by whoever owns it now.
      resume?.();
    }
    payload.resolveOffset(last.offset);
    await payload.commitOffsetsIfNecessary();
    await payload.heartbeat();

    metrics.observeBatch(records.length);
    for (const record of records) {
      if (record.type === 'message.created') metrics.observePersisted(record.message.createdAt);
    }
    metrics.setConsumerLag(batch.partition, Number(batch.offsetLag()));
  }

  /** Decodes a batch; poison records go to the dead-letter topic (retried until they do). */
  async #decode(partition: number, messages: readonly KafkaMessage[]): Promise<LogRecord[]> {
    const records: LogRecord[] = [];
    for (const message of messages) {
      try {
        records.push(decodeRecord(message.value));
      } catch (error) {
        if (!(error instanceof PoisonRecordError)) throw error;
        if (!this.#producer) throw new Error('message log consumer is stopped');
        await sendToDeadLetters(this.#producer, this.#options.deadLetterTopic, message, {
          reason: error.reason,
          topic: this.#options.topic,
          partition,
        });
        this.#options.metrics.countDeadLetter('undecodable');
      }
    }
    return records;
  }

  #backoff(attempt: number): number {
    const initial = this.#options.retryInitialMs ?? 200;
    const max = this.#options.retryMaxMs ?? 5_000;
    return Math.min(max, initial * 2 ** (attempt - 1));
  }

  /** Rejects when `work` takes longer than the handler timeout (it may still finish). */
  async #withTimeout(work: Promise<void>): Promise<void> {
    const ms = this.#options.handlerTimeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`batch write took over ${ms} ms`)), ms);
    });
    try {
      await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits `ms`, heartbeating at least every second so the group keeps this member. */
  async #backOff(ms: number, payload: EachBatchPayload): Promise<void> {
    const until = Date.now() + ms;
    for (let left = ms; left > 0 && !this.#stopping; left = until - Date.now()) {
      await this.#sleep(Math.min(left, 1_000));
      await payload.heartbeat();
    }
  }

  /** A delay that `stop()` cuts short. */
  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.#sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#sleepers.add(wake);
    });
  }
}
