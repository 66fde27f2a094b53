import {
  type Admin,
  ConfigResourceTypes,
  type Consumer,
  Kafka,
  logLevel,
  Partitioners,
} from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTopicAndWait,
  requireKafkaBrokers,
  servicesAvailable,
  uniqueName,
} from '../support/services.ts';

describe.skipIf(!servicesAvailable('kafka'))('Kafka service (real kafkajs clients)', () => {
  const topic = uniqueName('kafka-proof');
  const groupId = uniqueName('kafka-proof-group');
  let kafka: Kafka;
  let admin: Admin;
  const consumers: Consumer[] = [];

  beforeAll(async () => {
    kafka = new Kafka({
      clientId: 'parley-services-test',
      brokers: requireKafkaBrokers(),
      logLevel: logLevel.WARN,
    });
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await Promise.all(consumers.map((consumer) => consumer.disconnect()));
    if ((await admin.listGroups()).groups.some((group) => group.groupId === groupId)) {
      await admin.deleteGroups([groupId]);
    }
    if ((await admin.listTopics()).includes(topic)) await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  });

  it('runs three brokers', async () => {
    const cluster = await admin.describeCluster();
    expect(cluster.brokers.map((broker) => broker.nodeId).sort()).toEqual([1, 2, 3]);
  });

  it('creates a topic replicated to all three brokers with min.insync.replicas=2', async () => {
    await createTopicAndWait(requireKafkaBrokers(), {
      topic,
      numPartitions: 3,
      replicationFactor: 3,
      configEntries: [{ name: 'min.insync.replicas', value: '2' }],
    });

    const described = await admin.describeConfigs({
      resources: [
        { type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['min.insync.replicas'] },
      ],
      includeSynonyms: false,
    });
    const entries = described.resources[0]?.configEntries ?? [];
    expect(entries.map((entry) => [entry.configName, entry.configValue])).toEqual([
      ['min.insync.replicas', '2'],
    ]);

    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    const partitions = metadata.topics[0]?.partitions ?? [];
    expect(partitions).toHaveLength(3);
    for (const partition of partitions) {
      expect([...partition.replicas].sort()).toEqual([1, 2, 3]);
      expect(partition.isr.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('produces idempotently with acks=-1, consumes in a group and commits the offsets', async () => {
    const producer = kafka.producer({
      idempotent: true,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const sent = Array.from({ length: 12 }, (_, i) => ({
      key: `conversation-${i % 4}`,
      value: `message-${i}`,
    }));
    const records = await producer.send({ topic, acks: -1, messages: sent });
    await producer.disconnect();
    expect(records.every((record) => record.errorCode === 0)).toBe(true);

    // A short fetch long-poll, so stop() need not wait out the 5 s default.
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 250 });
    consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const received: string[] = [];
    const next = new Map<number, string>();
    const allReceived = Promise.withResolvers<void>();
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        received.push(message.value?.toString('utf8') ?? '');
        next.set(partition, (BigInt(message.offset) + 1n).toString());
        if (received.length === sent.length) allReceived.resolve();
      },
    });
    await allReceived.promise;
    await consumer.commitOffsets(
      [...next].map(([partition, offset]) => ({ topic, partition, offset })),
    );
    await consumer.stop();

    expect(received.sort()).toEqual(sent.map((message) => message.value).sort());
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const ends = await admin.fetchTopicOffsets(topic);
    const committedByPartition = new Map(
      (committed[0]?.partitions ?? []).map((p) => [p.partition, p.offset]),
    );
    for (const end of ends) {
      // Committed = high watermark on every partition: the group has consumed everything.
      expect(committedByPartition.get(end.partition)).toBe(end.high);
    }
    expect(ends.reduce((sum, end) => sum + Number(end.high), 0)).toBe(sent.length);
  });
});
