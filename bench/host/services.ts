import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { serviceEnv } from '../../scripts/services/config.ts';

/** The real services' addresses. */
export interface ServiceUrls {
  readonly redisUrl: string;
  readonly kafkaBrokers: readonly string[];
  readonly mongoUrl: string;
}

/**
 * From REDIS_URL / KAFKA_BROKERS / MONGO_URL (or the TEST_ variants `npm test` sets), else
 * the addresses `npm run services:up` uses.
 */
export function serviceUrls(env: NodeJS.ProcessEnv = process.env): ServiceUrls {
  const defaults = serviceEnv();
  const pick = (name: 'REDIS_URL' | 'KAFKA_BROKERS' | 'MONGO_URL') =>
    env[name] || env[`TEST_${name}`] || defaults[name];
  return {
    redisUrl: pick('REDIS_URL'),
    kafkaBrokers: pick('KAFKA_BROKERS')
      .split(',')
      .map((broker) => broker.trim())
      .filter((broker) => broker !== ''),
    mongoUrl: pick('MONGO_URL'),
  };
}

/** Names of the services that do not accept a TCP connection (empty: all reachable). */
export async function unreachableServices(urls: ServiceUrls): Promise<string[]> {
  const redis = new URL(urls.redisUrl);
  const mongo = new URL(urls.mongoUrl);
  const targets = [
    { name: `redis ${redis.host}`, host: redis.hostname, port: Number(redis.port || 6379) },
    { name: `mongo ${mongo.host}`, host: mongo.hostname, port: Number(mongo.port || 27017) },
    ...urls.kafkaBrokers.map((broker) => {
      const [host = '127.0.0.1', port = '9092'] = broker.split(':');
      return { name: `kafka ${broker}`, host, port: Number(port) };
    }),
  ];
  const results = await Promise.all(
    targets.map(async (target) =>
      (await canConnect(target.host, target.port)) ? null : target.name,
    ),
  );
  return results.filter((name): name is string => name !== null);
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The per-mode names that keep one bench run apart from everything else on the services. */
export interface ScratchNames {
  readonly redisPrefix: string;
  readonly topic: string;
  readonly deadLetterTopic: string;
  readonly consumerGroup: string;
  readonly database: string;
}

/** Unique names for `tag` (letters, digits and dashes). */
export function scratchNames(tag: string): ScratchNames {
  return {
    redisPrefix: `bench-${tag}`,
    topic: `parley-bench-${tag}`,
    deadLetterTopic: `parley-bench-${tag}-dlq`,
    consumerGroup: `parley-bench-${tag}`,
    database: `parley_bench_${tag.replace(/-/g, '_')}`,
  };
}

/** A MongoDB URL like `mongoUrl` naming `database`. */
export function withDatabase(mongoUrl: string, database: string): string {
  const url = new URL(mongoUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** The API environment of a distributed mode. */
export function distributedEnv(urls: ServiceUrls, names: ScratchNames): Record<string, string> {
  return {
    REDIS_URL: urls.redisUrl,
    KAFKA_BROKERS: urls.kafkaBrokers.join(','),
    MONGO_URL: withDatabase(urls.mongoUrl, names.database),
    REDIS_KEY_PREFIX: names.redisPrefix,
    KAFKA_TOPIC: names.topic,
    KAFKA_DLQ_TOPIC: names.deadLetterTopic,
    KAFKA_CONSUMER_GROUP: names.consumerGroup,
  };
}

/** Partitions the bench gives the message topic (the API's default KAFKA_PARTITIONS). */
const TOPIC_PARTITIONS = 6;

/**
 * Creates the mode's topics before the API starts and waits for their leaders: the API
 * creates missing topics itself, but a brand-new topic's metadata reaches the brokers
 * asynchronously, and an API started into that window can fail its start-up.
 */
export async function prepareScratch(urls: ServiceUrls, names: ScratchNames): Promise<void> {
  const kafka = new Kafka({
    clientId: 'parley-bench',
    brokers: [...urls.kafkaBrokers],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const replicationFactor = Math.min(3, urls.kafkaBrokers.length);
    await admin.createTopics({
      waitForLeaders: false,
      topics: [names.topic, names.deadLetterTopic].map((topic) => ({
        topic,
        numPartitions: topic === names.topic ? TOPIC_PARTITIONS : 1,
        replicationFactor,
        configEntries: [
          { name: 'min.insync.replicas', value: String(Math.min(2, replicationFactor)) },
        ],
      })),
    });
    const deadline = performance.now() + 60_000;
    for (;;) {
      const ready = await admin
        .fetchTopicMetadata({ topics: [names.topic, names.deadLetterTopic] })
        .then((metadata) =>
          metadata.topics.every(
            (topic) =>
              topic.partitions.length > 0 &&
              topic.partitions.every((partition) => partition.leader >= 0),
          ),
        )
        // Unknown topic: its metadata has not reached this broker yet.
        .catch(() => false);
      if (ready) return;
      if (performance.now() > deadline) throw new Error(`topic ${names.topic} has no leaders`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await admin.disconnect();
  }
}

/**
 * Removes what a distributed mode left on the services: keys, topics, consumer group and
 * database. Returns what could not be removed (leftovers are untidy, not wrong: the names
 * are unique to the run).
 */
export async function removeScratch(urls: ServiceUrls, names: ScratchNames): Promise<string[]> {
  const problems: string[] = [];
  const attempt = async (what: string, work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (error) {
      problems.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  await attempt(`Redis keys ${names.redisPrefix}*`, () => removeKeys(urls, names));
  await attempt(`Kafka topics and group of ${names.topic}`, () => removeKafka(urls, names));
  await attempt(`MongoDB database ${names.database}`, () => dropDatabase(urls, names));
  return problems;
}

async function removeKeys(urls: ServiceUrls, names: ScratchNames): Promise<void> {
  const redis = new Redis(urls.redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(
        cursor,
        'MATCH',
        `${names.redisPrefix}*`,
        'COUNT',
        1000,
      );
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function removeKafka(urls: ServiceUrls, names: ScratchNames): Promise<void> {
  const kafka = new Kafka({
    clientId: 'parley-bench',
    brokers: [...urls.kafkaBrokers],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const topics = [names.topic, names.deadLetterTopic].filter((topic) => existing.has(topic));
    if (topics.length > 0) await admin.deleteTopics({ topics });
    const groups = (await admin.listGroups()).groups.map((group) => group.groupId);
    if (groups.includes(names.consumerGroup)) await admin.deleteGroups([names.consumerGroup]);
  } finally {
    await admin.disconnect();
  }
}

async function dropDatabase(urls: ServiceUrls, names: ScratchNames): Promise<void> {
  const client = new mongoose.mongo.MongoClient(urls.mongoUrl);
  await client.connect();
  try {
    await client.db(names.database).dropDatabase();
  } finally {
    await client.close();
  }
}

/**
 * Checks every two seconds that the services accept connections, so that a scenario
 * disturbed by an outage (other work on the box may stop them) is flagged, not trusted.
 * `stop()` returns the services seen down, with when.
 */
export function watchServices(urls: ServiceUrls, everyMs = 2_000) {
  const started = performance.now();
  const outages: string[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const down = await unreachableServices(urls);
      if (down.length > 0) {
        outages.push(
          `${down.join(', ')} down at +${((performance.now() - started) / 1000).toFixed(0)} s`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop(): Promise<string[]> {
      stopped = true;
      await loop;
      return outages;
    },
  };
}
