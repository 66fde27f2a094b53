import type { ClientIdRegistry } from '../../ports/client-id-registry.ts';
import type { Clock } from '../../ports/clock.ts';
import type { MessageCache } from '../../ports/message-cache.ts';
import type { PresenceStore } from '../../ports/presence.ts';
import type { SeqAllocator, SeqFloorSource } from '../../ports/seq-allocator.ts';
import {
  createMemoryClientIdRegistry,
  type MemoryClientIdRegistryOptions,
} from './client-id-registry.ts';
import {
  createMemoryEventBus,
  type MemoryEventBus,
  type MemoryEventBusOptions,
} from './event-bus.ts';
import { createMemoryMessageCache, type MemoryMessageCacheOptions } from './message-cache.ts';
import {
  createGroupCommitLog,
  type GroupCommitLog,
  type GroupCommitLogOptions,
} from './message-log.ts';
import { createMemoryPresenceStore } from './presence.ts';
import { createMemoryRateLimiter, type MemoryRateLimiter } from './rate-limiter.ts';
import { createMemorySeqAllocator, type MemorySeqAllocatorOptions } from './seq-allocator.ts';

export { EventStreamOverflowError } from './event-bus.ts';
export { MessageLogClosedError, MessageLogFullError } from './message-log.ts';

export interface MemoryAdaptersOptions {
  readonly clock: Clock;
  /** Seeds each conversation's seq counter; normally the store's `messages.maxSeq`. */
  readonly seqFloor: SeqFloorSource;
  /** Hears every failed log batch (then retried); the composition root logs it. */
  readonly onLogHandlerError: GroupCommitLogOptions['onHandlerError'];
  readonly bus?: MemoryEventBusOptions;
  readonly cache?: MemoryMessageCacheOptions;
  readonly seq?: MemorySeqAllocatorOptions;
  readonly log?: Omit<GroupCommitLogOptions, 'onHandlerError'>;
  readonly clientIds?: Omit<MemoryClientIdRegistryOptions, 'clock'>;
}

/** The in-process ports. `log` and `logConsumer` are the two ends of one group-commit queue. */
export interface MemoryAdapters {
  readonly bus: MemoryEventBus;
  readonly cache: MessageCache;
  readonly seq: SeqAllocator;
  readonly log: GroupCommitLog;
  readonly logConsumer: GroupCommitLog;
  readonly limiter: MemoryRateLimiter;
  readonly presence: PresenceStore;
  readonly clientIds: ClientIdRegistry;
}

/** Builds every in-process adapter; the composition root picks which ones it uses. */
export function createMemoryAdapters(options: MemoryAdaptersOptions): MemoryAdapters {
  const log = createGroupCommitLog({ ...options.log, onHandlerError: options.onLogHandlerError });
  return {
    bus: createMemoryEventBus(options.bus),
    cache: createMemoryMessageCache(options.cache),
    seq: createMemorySeqAllocator(options.seqFloor, options.seq),
    log,
    logConsumer: log,
    limiter: createMemoryRateLimiter({ clock: options.clock }),
    presence: createMemoryPresenceStore(),
    clientIds: createMemoryClientIdRegistry({ ...options.clientIds, clock: options.clock }),
  };
}
