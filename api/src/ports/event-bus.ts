import type { Topic, TopicMap } from './events.ts';

/** A live subscription; `return()` unsubscribes. */
export type EventStream<T> = AsyncIterableIterator<T> & { return(): Promise<IteratorResult<T>> };

/**
 * Fan-out of events to every API instance. Implemented in-process (`adapters/memory`) and
 * over Redis pub/sub (`adapters/redis`). Events are JSON-serialisable; Dates cross as ISO
 * strings and are revived by the adapter.
 */
export interface EventBus {
  publish<K extends Topic>(topic: K, id: string, event: TopicMap[K]): Promise<void>;
  /**
   * Resolves once the subscription is live, so that every event published after the
   * promise resolves is delivered. Gapless resume depends on this.
   */
  subscribe<K extends Topic>(topic: K, id: string): Promise<EventStream<TopicMap[K]>>;
  close(): Promise<void>;
}
