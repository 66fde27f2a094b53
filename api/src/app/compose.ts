import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createGeminiModel } from '../adapters/gemini/gemini-model.ts';
import { createKafkaConsumer, type KafkaSettings, openKafkaLog } from '../adapters/kafka/index.ts';
import { createMemoryClientIdRegistry } from '../adapters/memory/client-id-registry.ts';
import { createMemoryEventBus } from '../adapters/memory/event-bus.ts';
import { createMemoryMessageCache } from '../adapters/memory/message-cache.ts';
import { createGroupCommitLog } from '../adapters/memory/message-log.ts';
import { createMemoryPresenceStore } from '../adapters/memory/presence.ts';
import { createMemoryRateLimiter } from '../adapters/memory/rate-limiter.ts';
import { createMemorySeqAllocator } from '../adapters/memory/seq-allocator.ts';
import { openMongoStore } from '../adapters/mongo/store.ts';
import { openRedisAdapters } from '../adapters/redis/index.ts';
import { StoreFloorLeases } from '../adapters/redis/seq-floor-leases.ts';
import { openSqliteStore } from '../adapters/sqlite/store.ts';
import { systemClock } from '../adapters/system/clock.ts';
import { createIdGenerator } from '../adapters/system/ids.ts';
import { instrumentBus, instrumentPresence } from '../metrics/instrument.ts';
import { createMetrics, type MetricsRegistry } from '../metrics/metrics.ts';
import type { Clock } from '../ports/clock.ts';
import type { Adapters } from '../ports/index.ts';
import type { MessageLog, MessageLogConsumer } from '../ports/message-log.ts';
import type { Store } from '../ports/store.ts';
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
  /** This process's Prometheus metrics (served at `/metrics`). */
  readonly metrics: MetricsRegistry;
  /** Stops the services, flushes the log into the store, then closes every adapter. */
  close(): Promise<void>;
}

/**
 * Seqs issued but not yet stored when the process died lie above the store's max; skipping
 * this many on first use after a start keeps them from being issued twice (gaps are fine).
 */
const SEQ_RESTART_HEADROOM = 1000;

/**
 * The composition root: picks an adapter for each port from config. Embedded by default
 * (SQLite store, in-process bus, cache, log and limiter); MONGO_URL, REDIS_URL and
 * KAFKA_BROKERS each swap their ports, independently (docs/DISTRIBUTED.md).
 */
export async function composeAdapters(
  config: Config,
  logger: Logger,
  options: CompositionOptions = {},
  metrics: MetricsRegistry = createMetrics(),
): Promise<Adapters> {
  const clock = options.clock ?? systemClock;
  const { distributed } = config;
  const instanceId = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const degraded = (error: unknown, context: string) => logger.warn({ err: error }, context);
  await mkdir(config.dataDir, { recursive: true });

  const mongo = distributed.mongoUrl ? await openMongoStore(distributed.mongoUrl) : null;
  const store: Store = mongo ?? (await openSqliteStore(join(config.dataDir, 'parley.db')));
  const seqFloor = (id: string) => store.messages.maxSeq(id);

  const redis = distributed.redisUrl
    ? await openRedisAdapters(
        { url: distributed.redisUrl, ...distributed.redis },
        {
          instanceId,
          seqLeases:
            mongo?.seqLeases ?? new StoreFloorLeases(seqFloor, distributed.redis.seqReseedMargin),
          clientIdFallback: createMemoryClientIdRegistry({ clock }),
          onError: degraded,
        },
      )
    : null;

  let log: MessageLog;
  let logConsumer: MessageLogConsumer | null;
  const kafka = kafkaSettings(config);
  if (kafka) {
    const kafkaLog = { metrics, onError: degraded, log: kafkaLogSink(logger) };
    log = await openKafkaLog(kafka, {
      ...kafkaLog,
      instanceId,
      outbox: redis?.openOutbox() ?? null,
    });
    logConsumer = distributed.worker.inApi ? createKafkaConsumer(kafka, kafkaLog) : null;
  } else {
    const queue = createGroupCommitLog({
      onHandlerError: (error, attempt) =>
        logger.error({ err: error, attempt }, 'writing a log batch to the store failed; retrying'),
    });
    log = queue;
    logConsumer = queue;
  }

  return {
    store,
    bus: instrumentBus(redis?.bus ?? createMemoryEventBus(), metrics),
    cache: redis?.cache ?? createMemoryMessageCache(),
    seq:
      redis?.seq ??
      createMemorySeqAllocator(seqFloor, {
        headroom: SEQ_RESTART_HEADROOM,
      }),
    log,
    logConsumer,
    limiter: redis?.limiter ?? createMemoryRateLimiter({ clock }),
    presence: instrumentPresence(redis?.presence ?? createMemoryPresenceStore(), metrics),
    clientIds: redis?.clientIds ?? createMemoryClientIdRegistry({ clock }),
    assistantModel: config.gemini.apiKey
      ? createGeminiModel({ ...config.gemini, apiKey: config.gemini.apiKey })
      : null,
    clock,
    ids: createIdGenerator(clock),
  };
}

/** The Kafka settings when KAFKA_BROKERS is set. */
export function kafkaSettings(config: Config): KafkaSettings | null {
  const brokers = config.distributed.kafkaBrokers;
  return brokers ? { brokers, ...config.distributed.kafka } : null;
}

/** Routes kafkajs's own log lines into the structured log. */
export function kafkaLogSink(logger: Logger) {
  return (level: 'error' | 'warn' | 'info' | 'debug', message: string, extra: object) => {
    if (level === 'error') logger.error(extra, message);
    else if (level === 'warn') logger.warn(extra, message);
    else logger.info(extra, message);
  };
}

/** Builds the adapters and services and starts the persistence worker on the log. */
export async function compose(
  config: Config,
  logger: Logger,
  options: CompositionOptions = {},
): Promise<Composition> {
  const metrics = createMetrics();
  const adapters = await composeAdapters(config, logger, options, metrics);
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
    metrics,
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
