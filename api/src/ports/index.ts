import type { AssistantModel } from './assistant-model.ts';
import type { ClientIdRegistry } from './client-id-registry.ts';
import type { Clock, IdGenerator } from './clock.ts';
import type { EventBus } from './event-bus.ts';
import type { MessageCache } from './message-cache.ts';
import type { MessageLog, MessageLogConsumer } from './message-log.ts';
import type { PresenceStore } from './presence.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { SeqAllocator } from './seq-allocator.ts';
import type { Store } from './store.ts';

/** Every port the domain needs, as picked by the composition root from config. */
export interface Adapters {
  readonly store: Store;
  readonly bus: EventBus;
  readonly cache: MessageCache;
  readonly seq: SeqAllocator;
  readonly log: MessageLog;
  /** Present when this process runs the persistence worker. */
  readonly logConsumer: MessageLogConsumer | null;
  readonly limiter: RateLimiter;
  readonly presence: PresenceStore;
  readonly clientIds: ClientIdRegistry;
  /** Null when no model is configured; the assistant then fails its replies readably. */
  readonly assistantModel: AssistantModel | null;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}
