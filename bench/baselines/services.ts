import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import type { HostLink } from '../load/host-link.ts';
import { round, Samples, type Summary } from '../stats.ts';
import { sampleDeliveryFrame, sampleMessage } from './sample-delivery.ts';

/** Where the real services are, plus names no one else uses for this run. */
export interface ServiceTargets {
  readonly redisUrl: string;
  readonly kafkaBrokers: readonly string[];
  readonly mongoUrl: string;
  /** A unique Kafka topic and MongoDB database name for the baselines (dropped after). */
  readonly scratchName: string;
}

/** The cheapest physical hop each distributed part can make, measured with the raw clients. */
export interface ServiceBaselines {
  /** Redis PUBLISH to a subscriber's receipt of a delivery-sized event, ms. */
  readonly redisHop: Summary;
  /** One kafkajs produce of one record with acks=-1 (all in-sync replicas), ms. */
  readonly kafkaProduce: Summary;
  /** kafkajs records/s with acks=-1 in batches of `kafkaBatch`, one request in flight. */
  readonly kafkaBatchRecordsPerSecond: number;
  readonly kafkaBatch: number;
  /** The raw driver's `insertMany` (ordered:false) of `mongoBatch` message documents, ms. */
  readonly mongoInsertMany: Summary;
  readonly mongoDocsPerSecond: number;
  readonly mongoBatch: number;
  /**
   * The raw driver's `findOne` on the unique (conversationId, clientKey) index, as
   * sendMessage's retry check does, and by `_id`, once the collection holds the inserted
   * documents (`mongoDocuments`), ms.
   */
  readonly mongoFindByClientKey: Summary;
  readonly mongoFindById: Summary;
  readonly mongoDocuments: number;
}

export interface ServiceBaselineParams {
  readonly targets: ServiceTargets;
  readonly samples: number;
  readonly kafkaBatch: number;
  readonly mongoBatch: number;
  readonly batchSamples: number;
}

/** Runs the three raw-client baselines one after another. */
export async function measureServices(
  params: ServiceBaselineParams,
  host: HostLink,
): Promise<ServiceBaselines> {
  host.progress(`redis PUBLISH → subscriber: ${params.samples} hops`);
  const redisHop = await measureRedisHop(params.targets, params.samples);
  host.progress(`kafka produce acks=-1: ${params.samples} single records`);
  const kafka = await measureKafka(params);
  host.progress(`mongo insertMany: ${params.batchSamples} × ${params.mongoBatch} documents`);
  const mongo = await measureMongo(params);
  return {
    redisHop,
    kafkaProduce: kafka.single,
    kafkaBatchRecordsPerSecond: kafka.recordsPerSecond,
    kafkaBatch: params.kafkaBatch,
    mongoInsertMany: mongo.insertMany,
    mongoDocsPerSecond: mongo.docsPerSecond,
    mongoBatch: params.mongoBatch,
    mongoFindByClientKey: mongo.findByClientKey,
    mongoFindById: mongo.findById,
    mongoDocuments: mongo.documents,
  };
}

async function measureRedisHop(targets: ServiceTargets, samples: number): Promise<Summary> {
  const publisher = new Redis(targets.redisUrl);
  const subscriber = new Redis(targets.redisUrl);
  const channel = `${targets.scratchName}:hop`;
  try {
    await subscriber.subscribe(channel);
    const frame = sampleDeliveryFrame();
    const hops = new Samples();
    let arrived: (() => void) | null = null;
    subscriber.on('message', (_channel: string, payload: string) => {
      JSON.parse(payload);
      arrived?.();
    });
    for (let index = 0; index < samples; index += 1) {
      const started = performance.now();
      await new Promise<void>((resolve, reject) => {
        arrived = resolve;
        publisher.publish(channel, frame).catch(reject);
      });
      hops.push(performance.now() - started);
    }
    return hops.summary();
  } finally {
    subscriber.disconnect();
    publisher.disconnect();
  }
}

async function measureKafka(params: ServiceBaselineParams) {
  const { targets } = params;
  const kafka = new Kafka({
    clientId: 'parley-bench',
    brokers: [...targets.kafkaBrokers],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const topic = targets.scratchName;
  await admin.connect();
  try {
    // As Parley's topic: replication 3 and min.insync.replicas 2, so acks=-1 waits for two.
    // kafkajs's own waitForLeaders can fail while KRaft spreads the metadata: wait here.
    await admin.createTopics({
      waitForLeaders: false,
      topics: [
        {
          topic,
          numPartitions: 3,
          replicationFactor: Math.min(3, targets.kafkaBrokers.length),
          configEntries: [{ name: 'min.insync.replicas', value: '2' }],
        },
      ],
    });
    await waitForLeaders(admin, topic);
    await producer.connect();
    const value = JSON.stringify(sampleMessage());
    // The first sends fetch metadata and open connections: not part of the figure. KRaft
    // spreads a new topic's metadata asynchronously, so they may also be refused a while.
    for (let index = 0; index < 20; index += 1) {
      await withRetries(() =>
        producer.send({ topic, acks: -1, messages: [{ key: `k${index}`, value }] }),
      );
    }
    const single = new Samples();
    for (let index = 0; index < params.samples; index += 1) {
      const started = performance.now();
      await producer.send({ topic, acks: -1, messages: [{ key: `k${index % 16}`, value }] });
      single.push(performance.now() - started);
    }
    const batch = Array.from({ length: params.kafkaBatch }, (_, index) => ({
      key: `k${index % 16}`,
      value,
    }));
    const started = performance.now();
    for (let index = 0; index < params.batchSamples; index += 1) {
      await producer.send({ topic, acks: -1, messages: batch });
    }
    const seconds = (performance.now() - started) / 1000;
    return {
      single: single.summary(),
      recordsPerSecond: round((params.batchSamples * params.kafkaBatch) / seconds, 0),
    };
  } finally {
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch((error: unknown) => {
      // Leaving a scratch topic behind is untidy, not wrong; the figure stands.
      console.warn(`could not delete the scratch topic ${topic}: ${String(error)}`);
    });
    await admin.disconnect();
  }
}

/** The shape Parley stores a message in (api/src/adapters/mongo/models.ts). */
interface MessageDocument {
  _id: string;
  conversationId: string;
  seq: number;
  clientId: string | null;
  clientKey: string;
  senderId: string | null;
  kind: string;
  body: string;
  status: string;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Waits until every partition of `topic` reports a leader. */
async function waitForLeaders(admin: Admin, topic: string, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const ready = await admin
      .fetchTopicMetadata({ topics: [topic] })
      .then((metadata) =>
        metadata.topics.every(
          (entry) =>
            entry.partitions.length > 0 &&
            entry.partitions.every((partition) => partition.leader >= 0),
        ),
      )
      // Unknown topic or partition: its metadata has not reached this broker yet.
      .catch(() => false);
    if (ready) return;
    if (performance.now() > deadline) throw new Error(`topic ${topic} has no leaders yet`);
    await delay(100);
  }
}

/** Retries `work` a few times, 200 ms apart; the last failure is thrown. */
async function withRetries<T>(work: () => Promise<T>, attempts = 25): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await delay(200);
    }
  }
}

async function measureMongo(params: ServiceBaselineParams) {
  const { targets } = params;
  const client = new mongoose.mongo.MongoClient(targets.mongoUrl);
  await client.connect();
  const db = client.db(targets.scratchName);
  try {
    const collection = db.collection<MessageDocument>('messages');
    // Parley's unique indexes on messages, so each insert maintains what the worker's does.
    await collection.createIndex({ conversationId: 1, seq: 1 }, { unique: true });
    await collection.createIndex({ conversationId: 1, clientKey: 1 }, { unique: true });
    const { conversationId, body, sender } = sampleMessage();
    let seq = 0;
    const docs = () =>
      Array.from({ length: params.mongoBatch }, (): MessageDocument => {
        seq += 1;
        const now = new Date();
        return {
          _id: `bench-${seq}`,
          conversationId,
          seq,
          clientId: `bench-${seq}`,
          clientKey: `c:bench-${seq}`,
          senderId: sender.id,
          kind: 'USER',
          body,
          status: 'SENT',
          error: null,
          createdAt: now,
          updatedAt: now,
        };
      });
    await collection.insertMany(docs(), { ordered: false });
    const latency = new Samples();
    const started = performance.now();
    for (let index = 0; index < params.batchSamples; index += 1) {
      const batch = docs();
      const began = performance.now();
      await collection.insertMany(batch, { ordered: false });
      latency.push(performance.now() - began);
    }
    const seconds = (performance.now() - started) / 1000;
    const lookups = Math.max(10, Math.round(params.samples / 10));
    const byClientKey = new Samples();
    const byId = new Samples();
    for (let index = 0; index < lookups; index += 1) {
      const target = 1 + ((index * 7919) % seq);
      let began = performance.now();
      await collection.findOne({ conversationId, clientKey: `c:bench-${target}` });
      byClientKey.push(performance.now() - began);
      began = performance.now();
      await collection.findOne({ _id: `bench-${target}` });
      byId.push(performance.now() - began);
    }
    return {
      insertMany: latency.summary(),
      docsPerSecond: round((params.batchSamples * params.mongoBatch) / seconds, 0),
      findByClientKey: byClientKey.summary(),
      findById: byId.summary(),
      documents: seq,
    };
  } finally {
    await db.dropDatabase();
    await client.close();
  }
}
