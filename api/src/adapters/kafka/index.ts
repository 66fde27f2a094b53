import { Partitioners } from 'kafkajs';
import type { Metrics } from '../../metrics/metrics.ts';
import type { RedisOutbox } from '../redis/outbox.ts';
import { BatchingProducer } from './batching-producer.ts';
import { createKafka, type KafkaLogSink } from './client.ts';
import { KafkaMessageLogConsumer } from './consumer.ts';
import { KafkaMessageLog } from './message-log.ts';
import { OutboxDrainer } from './outbox-drainer.ts';
import { ensureTopics } from './topics.ts';

/** Settings of the Kafka adapters (see docs/DISTRIBUTED.md). */
export interface KafkaSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly topic: string;
  readonly deadLetterTopic: string;
  /** Partitions of a topic created at start. */
  readonly partitions: number;
  /** The persistence worker's consumer group. */
  readonly consumerGroup: string;
  readonly produceTimeoutMs: number;
  readonly lingerMs: number;
  /** The worker's consumer-group session: a crashed worker's partitions move after this. */
  readonly sessionTimeoutMs: number;
}

export interface KafkaLogDeps {
  /** The outage fallback (from the Redis adapters), or null without Redis. */
  readonly outbox: { readonly outbox: RedisOutbox; readonly release: () => Promise<void> } | null;
  readonly metrics: Metrics;
  /** Unique per process: owns the outbox drain lock while draining. */
  readonly instanceId: string;
  readonly onError: (error: unknown, context: string) => void;
  readonly log?: KafkaLogSink;
}

/**
 * Creates the topics when missing, connects the idempotent producer and returns the
 * MessageLog (with its outbox drainer running when there is an outbox). `close()` on the
 * log flushes, stops the drainer and disconnects.
 */
export async function openKafkaLog(
  settings: KafkaSettings,
  deps: KafkaLogDeps,
): Promise<KafkaMessageLog> {
  const kafka = createKafka({
    brokers: settings.brokers,
    clientId: settings.clientId,
    ...(deps.log ? { log: deps.log } : {}),
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, settings);
  } finally {
    await admin.disconnect();
  }
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  const batching = new BatchingProducer({
    producer,
    topic: settings.topic,
    lingerMs: settings.lingerMs,
  });
  let drainer: OutboxDrainer | null = null;
  const log = new KafkaMessageLog({
    producer: batching,
    outbox: deps.outbox?.outbox ?? null,
    produceTimeoutMs: settings.produceTimeoutMs,
    metrics: deps.metrics,
    onError: deps.onError,
    release: async () => {
      await drainer?.stop();
      await producer.disconnect();
      await deps.outbox?.release();
    },
  });
  if (deps.outbox) {
    const { outbox } = deps.outbox;
    deps.metrics.setOutboxDepthSource(() => outbox.depth());
    drainer = new OutboxDrainer({
      outbox,
      producer: batching,
      log,
      owner: deps.instanceId,
      produceTimeoutMs: settings.produceTimeoutMs,
      onError: deps.onError,
    });
    drainer.start();
  }
  return log;
}

/** The persistence worker's consumer (started by whoever runs the worker). */
export function createKafkaConsumer(
  settings: KafkaSettings,
  deps: Pick<KafkaLogDeps, 'metrics' | 'onError' | 'log'>,
): KafkaMessageLogConsumer {
  const kafka = createKafka({
    brokers: settings.brokers,
    clientId: `${settings.clientId}-worker`,
    ...(deps.log ? { log: deps.log } : {}),
  });
  return new KafkaMessageLogConsumer({
    kafka,
    topic: settings.topic,
    deadLetterTopic: settings.deadLetterTopic,
    groupId: settings.consumerGroup,
    sessionTimeoutMs: settings.sessionTimeoutMs,
    metrics: deps.metrics,
    onError: deps.onError,
  });
}
