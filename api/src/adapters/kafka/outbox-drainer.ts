import type { RedisOutbox } from '../redis/outbox.ts';
import type { BatchingProducer } from './batching-producer.ts';
import type { KafkaMessageLog } from './message-log.ts';

export interface OutboxDrainerOptions {
  readonly outbox: RedisOutbox;
  readonly producer: BatchingProducer;
  readonly log: KafkaMessageLog;
  /** Unique per process: the drain lock's owner. */
  readonly owner: string;
  /** Pause between checks (default 1 s). */
  readonly intervalMs?: number;
  /** Records per produce request (default 500). */
  readonly batchSize?: number;
  /** How long one produce may take before the drainer gives up until the next check. */
  readonly produceTimeoutMs?: number;
  readonly onError?: (error: unknown, context: string) => void;
}

/**
 * Republishes the outbox to Kafka, oldest first, with the records as they were (same
 * message ids), deleting each batch only after Kafka acknowledged it. Every API instance
 * runs one; a lock lets one drain at a time. When the outbox is empty it tells this
 * process's log to produce to Kafka again.
 */
export class OutboxDrainer {
  readonly #outbox: RedisOutbox;
  readonly #producer: BatchingProducer;
  readonly #log: KafkaMessageLog;
  readonly #owner: string;
  readonly #intervalMs: number;
  readonly #batchSize: number;
  readonly #timeoutMs: number;
  readonly #onError: (error: unknown, context: string) => void;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  /** A produce that timed out but may still complete; no new one starts meanwhile. */
  #stuck: Promise<unknown> | null = null;
  #stopped = true;

  constructor(options: OutboxDrainerOptions) {
    this.#outbox = options.outbox;
    this.#producer = options.producer;
    this.#log = options.log;
    this.#owner = options.owner;
    this.#intervalMs = options.intervalMs ?? 1_000;
    this.#batchSize = options.batchSize ?? 500;
    this.#timeoutMs = options.produceTimeoutMs ?? 5_000;
    this.#onError = options.onError ?? (() => undefined);
  }

  start(): void {
    this.#stopped = false;
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  /** One pass: drains everything it can; returns how many records went to Kafka. */
  async drainOnce(): Promise<number> {
    if ((await this.#outbox.depth()) === 0) {
      this.#log.resumeKafka();
      return 0;
    }
    if (this.#stuck || !(await this.#outbox.lock(this.#owner))) return 0;
    let drained = 0;
    try {
      for (;;) {
        const entries = await this.#outbox.peek(this.#batchSize);
        if (entries.length === 0) {
          this.#log.resumeKafka();
          return drained;
        }
        await this.#produce(entries);
        await this.#outbox.delete(entries.map((entry) => entry.id));
        drained += entries.length;
        if (this.#stopped || !(await this.#outbox.lock(this.#owner))) return drained;
      }
    } finally {
      await this.#outbox.unlock(this.#owner);
    }
  }

  async #produce(entries: readonly { key: string; value: string }[]): Promise<void> {
    const sending = this.#producer.sendNow(entries);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.#timeoutMs);
    });
    try {
      const outcome = await Promise.race([sending, timeout]);
      if (outcome === 'timeout') {
        // Kafka may still take it; those records are then produced twice, which is harmless.
        this.#stuck = sending.finally(() => {
          this.#stuck = null;
        });
        // Its outcome needs no handling: the records stay in the outbox until a later pass.
        this.#stuck.catch(() => undefined);
        throw new Error(`Kafka did not acknowledge the outbox batch within ${this.#timeoutMs} ms`);
      }
    } finally {
      clearTimeout(timer);
    }
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#running = this.drainOnce()
        .then(
          () => undefined,
          (error: unknown) => this.#onError(error, 'outbox drain failed; retrying'),
        )
        .finally(() => {
          this.#running = null;
          this.#schedule(this.#intervalMs);
        });
    }, delayMs);
  }
}
