import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createGeminiModel } from '../adapters/gemini/gemini-model.ts';
import { createMemoryClientIdRegistry } from '../adapters/memory/client-id-registry.ts';
import { createMemoryEventBus } from '../adapters/memory/event-bus.ts';
import { createMemoryMessageCache } from '../adapters/memory/message-cache.ts';
import { createGroupCommitLog } from '../adapters/memory/message-log.ts';
import { createMemoryPresenceStore } from '../adapters/memory/presence.ts';
import { createMemoryRateLimiter } from '../adapters/memory/rate-limiter.ts';
import { createMemorySeqAllocator } from '../adapters/memory/seq-allocator.ts';
import { openSqliteStore } from '../adapters/sqlite/store.ts';
import { systemClock } from '../adapters/system/clock.ts';
import { createIdGenerator } from '../adapters/system/ids.ts';
import type { Clock } from '../ports/clock.ts';
import type { Adapters } from '../ports/index.ts';
import { createServices, type Services } from '../services/index.ts';
import type { Logger } from '../services/logger.ts';
import type { Config } from './config.ts';
import { resolveJwtSecret } from './jwt-secret.ts';

/** What tests may swap in; production always uses the defaults. */
export interface CompositionOptions {
  /** The time source of every adapter and service (a controllable clock in tests). */
  readonly clock?: Clock;
}

/** The composed application core: one adapter per port, and the services on top. */
export interface Composition {
  readonly adapters: Adapters;
  readonly services: Services;
  /** Stops the services, flushes the log into the store, then closes every adapter. */
  close(): Promise<void>;
}

/**
 * Seqs issued but not yet stored when the process died lie above the store's max; skipping
 * this many on first use after a start keeps them from being issued twice (gaps are fine).
 */
const SEQ_RESTART_HEADROOM = 1000;

/**
 * The composition root: picks an adapter for each port from config. Embedded today (SQLite
 * store, in-process bus, cache, log and limiter); REDIS_URL, KAFKA_BROKERS and MONGO_URL will
 * each swap their ports here, independently.
 */
export async function composeAdapters(
  config: Config,
  logger: Logger,
  options: CompositionOptions = {},
): Promise<Adapters> {
  warnAboutReservedSettings(config, logger);
  const clock = options.clock ?? systemClock;
  await mkdir(config.dataDir, { recursive: true });
  const store = await openSqliteStore(join(config.dataDir, 'parley.db'));
  const log = createGroupCommitLog({
    onHandlerError: (error, attempt) =>
      logger.error({ err: error, attempt }, 'writing a log batch to the store failed; retrying'),
  });
  return {
    store,
    bus: createMemoryEventBus(),
    cache: createMemoryMessageCache(),
    seq: createMemorySeqAllocator((id) => store.messages.maxSeq(id), {
      headroom: SEQ_RESTART_HEADROOM,
    }),
    log,
    logConsumer: log,
    limiter: createMemoryRateLimiter({ clock }),
    presence: createMemoryPresenceStore(),
    clientIds: createMemoryClientIdRegistry({ clock }),
    assistantModel: config.gemini.apiKey
      ? createGeminiModel({ ...config.gemini, apiKey: config.gemini.apiKey })
      : null,
    clock,
    ids: createIdGenerator(clock),
  };
}

/** Builds the adapters and services and starts the persistence worker on the log. */
export async function compose(
  config: Config,
  logger: Logger,
  options: CompositionOptions = {},
): Promise<Composition> {
  const adapters = await composeAdapters(config, logger, options);
  const services = createServices(
    adapters,
    {
      auth: {
        jwtSecret: await resolveJwtSecret(config, logger),
        accessTokenTtlSeconds: config.auth.accessTokenTtlSeconds,
        refreshTokenTtlSeconds: config.auth.refreshTokenTtlSeconds,
        scrypt: { log2N: config.auth.scryptLog2N, r: 8, p: 1 },
        rateLimits: config.limits,
      },
      conversations: { maxGroupMembers: config.chat.maxGroupMembers },
      messages: { maxBodyLength: config.chat.maxBodyLength, rateLimits: config.limits },
      events: { resyncThreshold: config.chat.resyncThreshold },
      presence: { graceMs: config.chat.presenceGraceMs },
      typing: { ttlMs: config.chat.typingTtlMs },
      assistant: config.assistant,
    },
    logger,
  );
  await adapters.logConsumer?.start(async (records) => {
    await services.worker.apply(records);
  });
  // Creates the assistant user and starts the sweep; `services.close()` stops it.
  await services.assistant.start();
  return {
    adapters,
    services,
    async close() {
      await services.close();
      await closeAdapters(adapters);
    },
  };
}

/** Flushes the log through its consumer first, then closes the rest; the store goes last. */
async function closeAdapters(adapters: Adapters): Promise<void> {
  await adapters.log.close();
  await adapters.logConsumer?.stop();
  await Promise.all([
    adapters.bus.close(),
    adapters.cache.close(),
    adapters.seq.close(),
    adapters.limiter.close(),
    adapters.presence.close(),
    adapters.clientIds.close(),
  ]);
  await adapters.store.close();
}

function warnAboutReservedSettings(config: Config, logger: Logger): void {
  const { redisUrl, kafkaBrokers, mongoUrl } = config.distributed;
  const set = [
    redisUrl && 'REDIS_URL',
    kafkaBrokers && 'KAFKA_BROKERS',
    mongoUrl && 'MONGO_URL',
  ].filter((name): name is string => typeof name === 'string');
  if (set.length > 0) {
    logger.warn({ settings: set }, 'distributed adapters are not wired yet; running embedded');
  }
}
