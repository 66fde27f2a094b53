import { RedisPubSub } from 'graphql-redis-subscriptions';
import type { Redis } from 'ioredis';
import type { EventBus, EventStream } from '../../ports/event-bus.ts';
import type { Topic, TopicMap } from '../../ports/events.ts';
import { isConnectionError } from './connection.ts';
import { EventQueue } from './event-queue.ts';
import { reviveDates } from './json.ts';
import { once } from './once.ts';

export interface RedisEventBusOptions {
  /** Fails fast while Redis is away, so publishing never blocks a send. */
  readonly publisher: Redis;
  /** Dedicated to SUBSCRIBE; queues while offline so that UNSUBSCRIBE never rejects. */
  readonly subscriber: Redis;
  /** Channel prefix, so several deployments (or tests) can share one Redis. */
  readonly prefix: string;
  /** How long `subscribe` waits for Redis to confirm before giving up. */
  readonly subscribeTimeoutMs?: number;
  /** Told about events that could not be published because Redis is unreachable. */
  readonly onError?: (error: unknown, context: string) => void;
  /** Runs once when the adapter closes: gives back the connection it shares. */
  readonly release?: () => Promise<void>;
}

/**
 * EventBus over Redis pub/sub: one channel per (topic, id), never a pattern. While Redis is
 * unreachable, publishing reports and drops the event (a send must still succeed), and each
 * live stream ends with an error when the subscriber connection drops, so its client
 * resumes with `afterSeq` (gapless, from the store) instead of silently missing events.
 */
export class RedisEventBus implements EventBus {
  readonly #release: () => Promise<void>;
  readonly #pubsub: RedisPubSub;
  readonly #prefix: string;
  readonly #subscriber: Redis;
  readonly #subscribeTimeoutMs: number;
  readonly #onError: (error: unknown, context: string) => void;
  readonly #publisher: Redis;
  readonly #live = new Set<Pick<EventQueue<unknown>, 'fail' | 'end'>>();
  readonly #onClose = (): void => this.#failAll(new Error('event bus connection to Redis lost'));

  constructor(options: RedisEventBusOptions) {
    this.#release = once(options.release ?? (() => Promise.resolve()));
    this.#pubsub = new RedisPubSub({
      publisher: options.publisher,
      subscriber: options.subscriber,
      reviver: reviveDates,
    });
    this.#prefix = options.prefix;
    this.#subscriber = options.subscriber;
    this.#subscribeTimeoutMs = options.subscribeTimeoutMs ?? 3_000;
    this.#onError = options.onError ?? (() => undefined);
    this.#publisher = options.publisher;
    this.#subscriber.on('close', this.#onClose);
  }

  /** The Redis channel of one topic id. */
  channel(topic: Topic, id: string): string {
    return `${this.#prefix}:${topic}:${id}`;
  }

  async publish<K extends Topic>(topic: K, id: string, event: TopicMap[K]): Promise<void> {
    try {
      await this.#pubsub.publish(this.channel(topic, id), event);
    } catch (error) {
      if (!isConnectionError(this.#publisher, error)) throw error;
      this.#onError(error, `event on ${topic} dropped: Redis is unreachable`);
    }
  }

  async subscribe<K extends Topic>(topic: K, id: string): Promise<EventStream<TopicMap[K]>> {
    if (this.#subscriber.status !== 'ready') {
      throw new Error(`event bus unavailable: Redis subscriber is ${this.#subscriber.status}`);
    }
    let subId: number | null = null;
    const queue = new EventQueue<TopicMap[K]>(() => {
      this.#live.delete(queue);
      if (subId !== null) this.#pubsub.unsubscribe(subId);
    });
    const pending = this.#pubsub.subscribe<TopicMap[K]>(this.channel(topic, id), (event) =>
      queue.push(event),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `event bus: Redis did not confirm SUBSCRIBE within ${this.#subscribeTimeoutMs} ms`,
            ),
          ),
        this.#subscribeTimeoutMs,
      );
    });
    try {
      subId = await Promise.race([pending, timeout]);
    } catch (error) {
      // A late confirmation must not leave the channel subscribed forever. A late failure
      // needs no handling: the caller already has the timeout error.
      pending.then((late) => this.#pubsub.unsubscribe(late)).catch(() => undefined);
      queue.end();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    this.#live.add(queue);
    return queue.stream();
  }

  async close(): Promise<void> {
    this.#subscriber.off('close', this.#onClose);
    for (const queue of [...this.#live]) queue.end();
    await this.#release();
  }

  #failAll(error: Error): void {
    for (const queue of [...this.#live]) queue.fail(error);
  }
}
