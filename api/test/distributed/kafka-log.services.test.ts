import type { Kafka, Producer } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { BatchingProducer } from '../../src/adapters/kafka/batching-producer.ts';
import { createKafka } from '../../src/adapters/kafka/client.ts';
import { KafkaMessageLogConsumer } from '../../src/adapters/kafka/consumer.ts';
import {
  DEAD_LETTER_HEADERS,
  headerText,
  replayDeadLetters,
} from '../../src/adapters/kafka/dead-letters.ts';
import { KafkaMessageLog } from '../../src/adapters/kafka/message-log.ts';
import { OutboxDrainer } from '../../src/adapters/kafka/outbox-drainer.ts';
import { encodeRecord } from '../../src/adapters/kafka/record-codec.ts';
import { ensureTopics, whileTopicPropagates } from '../../src/adapters/kafka/topics.ts';
import { RedisOutbox } from '../../src/adapters/redis/outbox.ts';
import { createMetrics } from '../../src/metrics/metrics.ts';
import type { LogRecord } from '../../src/ports/message-log.ts';
import { aMessage, Condition, uniqueId } from '../contracts/fixtures.ts';
import { describeMessageLogContract } from '../contracts/message-log.contract.ts';
import {
  createTopicAndWait,
  requireKafkaBrokers,
  servicesAvailable,
  uniqueName,
} from '../support/services.ts';
import { deleteKeys, RedisConnections, testPrefix } from './support.ts';

const topics: string[] = [];
const kafkas: Kafka[] = [];
const connections = new RedisConnections();
const prefixes: string[] = [];

function kafka(): Kafka {
  const client = createKafka({ brokers: requireKafkaBrokers(), clientId: 'parley-test' });
  kafkas.push(client);
  return client;
}

async function freshTopic(partitions = 3): Promise<string> {
  const topic = uniqueName('parley-log');
  topics.push(topic);
  await createTopicAndWait(requireKafkaBrokers(), {
    topic,
    numPartitions: partitions,
    replicationFactor: 3,
    configEntries: [{ name: 'min.insync.replicas', value: '2' }],
  });
  return topic;
}

async function connectedProducer(client: Kafka): Promise<Producer> {
  const producer = client.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  return producer;
}

function created(conversationId: string, seq: number): LogRecord {
  return { type: 'message.created', message: aMessage(conversationId, seq) };
}

afterAll(async () => {
  if (topics.length > 0) {
    const admin = kafka().admin();
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    await admin.deleteTopics({ topics: topics.filter((topic) => existing.has(topic)) });
    await admin.disconnect();
  }
  if (prefixes.length > 0) {
    const redis = await connections.open();
    for (const prefix of prefixes) await deleteKeys(redis, prefix);
  }
  await connections.closeAll();
});

describe.runIf(servicesAvailable('kafka', 'redis'))('Kafka message log', () => {
  describeMessageLogContract(
    'kafka',
    async () => {
      const client = kafka();
      const topic = await freshTopic();
      const deadLetterTopic = await freshTopic(1);
      const producer = await connectedProducer(client);
      const metrics = createMetrics({ processMetrics: false });
      const log = new KafkaMessageLog({
        producer: new BatchingProducer({ producer, topic }),
        outbox: null,
        metrics,
      });
      const consumer = new KafkaMessageLogConsumer({
        kafka: client,
        topic,
        deadLetterTopic,
        groupId: uniqueName('parley-group'),
        retryInitialMs: 20,
        retryMaxMs: 100,
        metrics,
      });
      return {
        log,
        consumer,
        async dispose() {
          await consumer.stop();
          await log.close();
          await producer.disconnect();
        },
      };
    },
    { appendAwaitsHandler: false },
  );

  it('creates its topics with several partitions, RF 3 and min.insync.replicas 2', async () => {
    const admin = kafka().admin();
    await admin.connect();
    try {
      const topic = uniqueName('parley-msgs');
      const deadLetterTopic = `${topic}-dlq`;
      topics.push(topic, deadLetterTopic);
      await ensureTopics(admin, { topic, deadLetterTopic, partitions: 6 });
      await ensureTopics(admin, { topic, deadLetterTopic, partitions: 6 });
      // Brokers learn of a new topic one by one; the admin may ask one that has not yet.
      const metadata = await whileTopicPropagates(() =>
        admin.fetchTopicMetadata({ topics: [topic] }),
      );
      const partitions = metadata.topics[0]?.partitions ?? [];
      expect(partitions).toHaveLength(6);
      for (const partition of partitions) expect(partition.replicas).toHaveLength(3);
      const configs = await whileTopicPropagates(() =>
        admin.describeConfigs({
          includeSynonyms: false,
          resources: [{ type: 2, name: topic, configNames: ['min.insync.replicas'] }],
        }),
      );
      expect(configs.resources[0]?.configEntries[0]?.configValue).toBe('2');
    } finally {
      await admin.disconnect();
    }
  });

  it('sends poison records to the dead-letter topic with a reason, and replays them', async () => {
    const client = kafka();
    const topic = await freshTopic(1);
    const deadLetterTopic = await freshTopic(1);
    const producer = await connectedProducer(client);
    const metrics = createMetrics({ processMetrics: false });
    const good = created(uniqueId('conv'), 1);
    await producer.send({
      topic,
      acks: -1,
      messages: [{ key: 'k', value: '{not json' }, { ...encodeRecord(good) }],
    });
    const handled: LogRecord[] = [];
    const changed = new Condition();
    const consumer = new KafkaMessageLogConsumer({
      kafka: client,
      topic,
      deadLetterTopic,
      groupId: uniqueName('parley-group'),
      metrics,
    });
    await consumer.start(async (records) => {
      handled.push(...records);
      changed.notify();
    });
    await changed.until(() => handled.length === 1);
    expect(handled).toEqual([good]);

    // The dead letter carries the original value and why it was set aside.
    const reader = client.consumer({ groupId: uniqueName('parley-group') });
    await reader.connect();
    await reader.subscribe({ topics: [deadLetterTopic], fromBeginning: true });
    const letters: { value: string; reason: string }[] = [];
    await reader.run({
      eachMessage: async ({ message }) => {
        letters.push({
          value: message.value?.toString() ?? '',
          reason: headerText(message.headers, DEAD_LETTER_HEADERS.reason),
        });
        changed.notify();
      },
    });
    await changed.until(() => letters.length === 1);
    expect(letters).toEqual([{ value: '{not json', reason: 'value is not JSON' }]);

    const replayGroup = uniqueName('parley-replay');
    const options = { kafka: client, deadLetterTopic, targetTopic: topic, groupId: replayGroup };
    expect(await replayDeadLetters(options)).toBe(1);
    // Back on the message topic, the record still fails to decode and is dead-lettered again;
    // a second replay takes only that new letter, not the one already replayed.
    await changed.until(() => letters.length === 2);
    expect(letters[1]).toEqual(letters[0]);
    expect(await replayDeadLetters(options)).toBe(1);
    expect(handled).toEqual([good]);
    await reader.disconnect();
    await consumer.stop();
    await producer.disconnect();
  });

  it('parks records in the Redis outbox while Kafka fails, and drains them with the same ids', async () => {
    const client = kafka();
    // A topic that does not exist yet: every produce fails until it is created.
    const topic = uniqueName('parley-late');
    const producer = await connectedProducer(client);
    const metrics = createMetrics({ processMetrics: false });
    const prefix = testPrefix();
    prefixes.push(prefix);
    const outbox = new RedisOutbox({ redis: await connections.open(), prefix });
    const batching = new BatchingProducer({ producer, topic });
    const log = new KafkaMessageLog({
      producer: batching,
      outbox,
      metrics,
      produceTimeoutMs: 500,
    });
    const conversationId = uniqueId('conv');
    const records = Array.from({ length: 20 }, (_, index) => created(conversationId, index + 1));
    await Promise.all(records.slice(0, 10).map((record) => log.append(record)));
    expect(log.usingOutbox).toBe(true);
    // Once switched, appends go straight to the outbox, in order.
    for (const record of records.slice(10)) await log.append(record);
    expect(await outbox.depth()).toBe(20);

    topics.push(topic);
    await createTopicAndWait(requireKafkaBrokers(), {
      topic,
      numPartitions: 1,
      replicationFactor: 3,
    });
    const drainer = new OutboxDrainer({ outbox, producer: batching, log, owner: 'test' });
    while ((await outbox.depth()) > 0) await drainer.drainOnce();
    await drainer.drainOnce();
    expect(log.usingOutbox).toBe(false);

    const seen = new Map<string, number>();
    const changed = new Condition();
    const consumer = new KafkaMessageLogConsumer({
      kafka: client,
      topic,
      deadLetterTopic: topic,
      groupId: uniqueName('parley-group'),
      metrics,
    });
    await consumer.start(async (batch) => {
      for (const record of batch) {
        seen.set(record.message.id, (seen.get(record.message.id) ?? 0) + 1);
      }
      changed.notify();
    });
    await changed.until(() => records.every((record) => seen.has(record.message.id)));
    expect(new Set(seen.keys())).toEqual(new Set(records.map((record) => record.message.id)));
    await consumer.stop();
    // Observed after each committed batch; the consumer has stopped, so all are in.
    const text = await metrics.registry.metrics();
    expect(text).toContain('parley_outbox_appends_total 20');
    expect(text).toMatch(/parley_persistence_batch_size_count [1-9]/);
    expect(text).toMatch(/parley_persistence_lag_seconds_count [1-9]/);
    await log.close();
    await producer.disconnect();
  });

  it('fails the append with a clear error when both Kafka and the outbox fail', async () => {
    const client = kafka();
    const producer = await connectedProducer(client);
    const redis = await connections.open();
    const outbox = new RedisOutbox({ redis, prefix: testPrefix() });
    const log = new KafkaMessageLog({
      producer: new BatchingProducer({ producer, topic: uniqueName('parley-none') }),
      outbox,
      metrics: createMetrics({ processMetrics: false }),
      produceTimeoutMs: 300,
    });
    redis.disconnect();
    await expect(log.append(created(uniqueId('conv'), 1))).rejects.toThrow(
      'message log unavailable: Kafka and its outage outbox both failed',
    );
    await producer.disconnect();
  });
});
