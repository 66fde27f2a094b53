import type { EventBus, EventStream } from '../../ports/event-bus.ts';
import type { Topic, TopicMap } from '../../ports/events.ts';

/** Thrown from `next()` of a subscription that fell more than its queue bound behind. */
export class EventStreamOverflowError extends Error {
  constructor(bound: number) {
    super(`subscriber fell more than ${bound} events behind; resubscribe to resume`);
    this.name = 'EventStreamOverflowError';
  }
}

export interface MemoryEventBusOptions {
  /** Events buffered per subscriber before it is cut off (default 1024). */
  readonly maxQueuedEvents?: number;
}

/** The in-process bus; `channelCount` exposes how many (topic, id) channels are live. */
export interface MemoryEventBus extends EventBus {
  readonly channelCount: number;
}

/** Every topic's events, as a channel holds them; keyed by topic and id, so never mixed. */
type AnyEvent = TopicMap[Topic];

/**
 * Fan-out within one process: one channel per (topic, id), created by its first subscriber
 * and freed by its last `return()`. Publishing never waits for consumers. Slow-consumer
 * policy: a subscriber whose queue reaches the bound is cut off at once (queue dropped,
 * channel slot freed) and its next `next()` rejects with `EventStreamOverflowError`. It is
 * never silently skipped ahead, so a client resubscribes with `afterSeq` and loses nothing.
 */
export function createMemoryEventBus(options: MemoryEventBusOptions = {}): MemoryEventBus {
  const maxQueued = options.maxQueuedEvents ?? 1024;
  const channels = new Map<string, Set<Subscription<AnyEvent>>>();
  let closed = false;

  return {
    get channelCount() {
      return channels.size;
    },

    async publish(topic, id, event) {
      if (closed) throw new Error('event bus is closed');
      // Copy first: a subscriber cut off or returned during delivery edits the set.
      for (const subscription of [...(channels.get(channelKey(topic, id)) ?? [])]) {
        subscription.push(event);
      }
    },

    async subscribe(topic, id) {
      if (closed) throw new Error('event bus is closed');
      const key = channelKey(topic, id);
      let subscribers = channels.get(key);
      if (subscribers === undefined) {
        subscribers = new Set();
        channels.set(key, subscribers);
      }
      const channel = subscribers;
      const subscription = new Subscription<TopicMap[typeof topic]>(maxQueued, () => {
        channel.delete(subscription);
        if (channel.size === 0 && channels.get(key) === channel) channels.delete(key);
      });
      channel.add(subscription);
      return subscription;
    },

    async close() {
      closed = true;
      for (const subscribers of channels.values()) {
        for (const subscription of subscribers) subscription.end();
      }
      channels.clear();
    },
  };
}

function channelKey(topic: Topic, id: string): string {
  return `${topic}\u0000${id}`;
}

interface Waiter<T> {
  resolve(result: IteratorResult<T>): void;
  reject(error: Error): void;
}

/** One subscriber's bounded queue, consumed as an async iterator. */
class Subscription<T> implements EventStream<T> {
  readonly #bound: number;
  readonly #detach: () => void;
  #queue: T[] = [];
  readonly #waiters: Waiter<T>[] = [];
  #state: 'live' | 'overflowed' | 'done' = 'live';

  constructor(bound: number, detach: () => void) {
    this.#bound = bound;
    this.#detach = detach;
  }

  push(event: T): void {
    if (this.#state !== 'live') return;
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) {
      waiter.resolve({ value: event, done: false });
    } else if (this.#queue.length < this.#bound) {
      this.#queue.push(event);
    } else {
      this.#state = 'overflowed';
      this.#queue = [];
      this.#detach();
    }
  }

  async next(): Promise<IteratorResult<T>> {
    const event = this.#queue.shift();
    if (event !== undefined) return { value: event, done: false };
    if (this.#state === 'overflowed') {
      this.#state = 'done';
      throw new EventStreamOverflowError(this.#bound);
    }
    if (this.#state === 'done') return { value: undefined, done: true };
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  async return(): Promise<IteratorResult<T>> {
    this.end();
    return { value: undefined, done: true };
  }

  /** Ends the stream: pending `next()` calls resolve done and nothing more is delivered. */
  end(): void {
    if (this.#state === 'live') this.#detach();
    this.#state = 'done';
    this.#queue = [];
    for (const waiter of this.#waiters.splice(0)) waiter.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
